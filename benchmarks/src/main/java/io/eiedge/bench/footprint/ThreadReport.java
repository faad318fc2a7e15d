package io.eiedge.bench.footprint;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    /**
     * @param javaNames full Java thread names by native thread id (the kernel keeps 15 characters);
     *                  threads not in it go by the kernel's name
     */
    static List<Row> rows(Map<Long, ProcFs.ThreadTicks> before, Map<Long, ProcFs.ThreadTicks> after, Map<Long, String> javaNames) {
        Map<String, long[]> byName = new LinkedHashMap<>();
        after.forEach((tid, now) -> {
            ProcFs.ThreadTicks then = before.get(tid);
            long used = now.ticks() - (then == null ? 0 : then.ticks());
            long[] acc = byName.computeIfAbsent(fold(javaNames.getOrDefault(tid, now.name())), n -> new long[2]);
            acc[0]++;
            acc[1] += used;
        });
        List<Row> rows = new ArrayList<>();
        byName.forEach((name, acc) -> rows.add(new Row(name, (int) acc[0], acc[1])));
        rows.sort((a, b) -> a.ticks() != b.ticks() ? Long.compare(b.ticks(), a.ticks()) : a.name().compareTo(b.name()));
        return rows;
    }

    /**
     * "meter-m07" and "meter-m31" become "meter-m#", "DTLS-Receiver-0-/127.0.0.1:41445" becomes
     * "DTLS-Receiver-#-/#.#.#.#:#"; "C1 CompilerThread0" and "C2 CompilerThread0" stay apart
     * (a number followed by a space is part of the name).
     */
    static String fold(String name) {
        return name.replaceAll("[0-9]+(?=$|[^0-9 A-Za-z])", "#");
    }

    /**
     * Native thread id → Java thread name, from {@code jcmd PID Thread.print}, whose thread lines
     * read {@code "name" #35 [4711] daemon prio=5 … nid=4711 …} (nid in hex before JDK 19).
     */
    static Map<Long, String> javaNames(String threadDump) {
        Map<Long, String> names = new HashMap<>();
        Matcher m = Pattern.compile("(?m)^\"(.*)\" .*?\\bnid=(0x[0-9a-fA-F]+|[0-9]+)").matcher(threadDump);
        while (m.find()) {
            String nid = m.group(2);
            names.put(nid.startsWith("0x") ? Long.parseLong(nid.substring(2), 16) : Long.parseLong(nid), m.group(1));
        }
        return names;
    }
}
