package io.eiedge.runtime.watch;

import java.util.Map;
import java.util.TreeMap;

/**
 * The seqs received from one device, as merged closed ranges: a device that publishes 4 meters at
 * 1 Hz for a year is one range, not 126 million entries. Not thread-safe (the watcher serialises).
 */
final class SeqRanges {
    private final TreeMap<Long, Long> ranges = new TreeMap<>(); // first → last, inclusive, disjoint, not adjacent

    /** Adds {@code seq}; false when it was already there. */
    boolean add(long seq) {
        Map.Entry<Long, Long> below = ranges.floorEntry(seq);
        if (below != null && below.getValue() >= seq) return false;
        long first = seq;
        long last = seq;
        if (below != null && below.getValue() == seq - 1) {
            first = below.getKey();
            ranges.remove(below.getKey());
        }
        Long after = ranges.get(seq + 1);
        if (after != null) {
            last = after;
            ranges.remove(seq + 1);
        }
        ranges.put(first, last);
        return true;
    }

    boolean contains(long seq) {
        Map.Entry<Long, Long> below = ranges.floorEntry(seq);
        return below != null && below.getValue() >= seq;
    }

    /** Whether every seq of {@code first..last} is there. */
    boolean containsAll(long first, long last) {
        if (last < first) return true;
        Map.Entry<Long, Long> below = ranges.floorEntry(first);
        return below != null && below.getValue() >= last;
    }

    boolean isEmpty() {
        return ranges.isEmpty();
    }

    long lowest() {
        return ranges.firstKey();
    }

    long highest() {
        return ranges.lastEntry().getValue();
    }

    /** How many seqs of {@code lowest()..upTo} are not there (upTo may lie beyond the highest seen). */
    long missing(long upTo) {
        if (ranges.isEmpty()) return 0;
        long span = upTo - lowest() + 1;
        long have = 0;
        for (Map.Entry<Long, Long> r : ranges.entrySet()) {
            if (r.getKey() > upTo) break;
            have += Math.min(r.getValue(), upTo) - r.getKey() + 1;
        }
        return Math.max(0, span - have);
    }

    /** The holes in {@code lowest()..upTo}, as "a-b" or "a", at most {@code max} of them. */
    String describeHoles(long upTo, int max) {
        StringBuilder sb = new StringBuilder();
        int n = 0;
        Long prevLast = null;
        for (Map.Entry<Long, Long> r : ranges.entrySet()) {
            if (prevLast != null && r.getKey() > prevLast + 1 && prevLast + 1 <= upTo) {
                n = appendHole(sb, prevLast + 1, Math.min(r.getKey() - 1, upTo), n, max);
            }
            prevLast = r.getValue();
        }
        if (prevLast != null && prevLast < upTo) n = appendHole(sb, prevLast + 1, upTo, n, max);
        if (n > max) sb.append(", …");
        return sb.toString();
    }

    private static int appendHole(StringBuilder sb, long first, long last, int n, int max) {
        if (n < max) {
            if (n > 0) sb.append(", ");
            sb.append(first == last ? Long.toString(first) : first + "-" + last);
        }
        return n + 1;
    }
}
