package io.eiedge.bench.footprint;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Heap in use from {@code jcmd PID GC.heap_info}: the sum of the "used" of every heap line —
 * the serial collector's "def new generation" and "tenured generation", G1's single
 * "garbage-first heap" — leaving out Metaspace and its class space, which are not heap.
 */
record HeapInfo(long usedKib, long committedKib) {
    private static final Pattern HEAP_LINE = Pattern.compile("^\\s*(.+?)\\s+total (\\d+)K, used (\\d+)K");

    static HeapInfo parse(String heapInfo) {
        long used = 0;
        long total = 0;
        boolean any = false;
        for (String line : heapInfo.split("\n")) {
            Matcher m = HEAP_LINE.matcher(line);
            if (m.find() && !m.group(1).contains("Metaspace") && !m.group(1).contains("class space")) {
                total += Long.parseLong(m.group(2));
                used += Long.parseLong(m.group(3));
                any = true;
            }
        }
        if (!any) {
            throw new IllegalArgumentException("no heap line (\"… total NK, used NK\") in GC.heap_info:\n" + heapInfo);
        }
        return new HeapInfo(used, total);
    }
}
