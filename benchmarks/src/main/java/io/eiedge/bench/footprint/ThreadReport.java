package io.eiedge.bench.footprint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which threads burned the window's CPU: per-thread tick deltas between two {@link ProcFs#threads()}
 * snapshots, summed by name with digits folded ("meter-m#" for 32 meter threads), largest first.
 * A thread that ended inside the window counts in the process total only.
 */
final class ThreadReport {
    private ThreadReport() {
    }

    /** One line of the report: the folded name, how many threads carry it, ticks in the window. */
    record Row(String name, int threads, long ticks) {
    }

    static List<Row> rows(Map<Long, ProcFs.ThreadTicks> before, Map<Long, ProcFs.ThreadTicks> after) {
        Map<String, long[]> byName = new LinkedHashMap<>();
        after.forEach((tid, now) -> {
            ProcFs.ThreadTicks then = before.get(tid);
            long used = now.ticks() - (then == null ? 0 : then.ticks());
            long[] acc = byName.computeIfAbsent(fold(now.name()), n -> new long[2]);
            acc[0]++;
            acc[1] += used;
        });
        List<Row> rows = new ArrayList<>();
        byName.forEach((name, acc) -> rows.add(new Row(name, (int) acc[0], acc[1])));
        rows.sort((a, b) -> a.ticks() != b.ticks() ? Long.compare(b.ticks(), a.ticks()) : a.name().compareTo(b.name()));
        return rows;
    }

    /** "C2 CompilerThre" stays, "meter-m07" and "meter-m31" become "meter-m#". */
    static String fold(String name) {
        return name.replaceAll("[0-9]+", "#");
    }
}
