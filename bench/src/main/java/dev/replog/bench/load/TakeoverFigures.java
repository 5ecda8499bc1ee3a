package dev.replog.bench.load;

import java.util.Arrays;

/**
 * What one takeover cost the writers, from the acknowledgements of every writer (their times, on
 * one clock, and the node that gave each): the write-unavailability window — the last
 * acknowledgement before the kill to the first one after it from another node, across all
 * writers — and the acknowledgements per second over the seconds after that first one, against
 * the steady rate over a span before the kill.
 */
record TakeoverFigures(long windowNanos, long firstAfterNanos, double steadyPerSecond, long[] perSecond) {

    /** No acknowledgement from another node after the kill: the takeover did not happen (in time). */
    static final long NONE = -1;

    /**
     * @param sortedTimes  every acknowledgement's time (System.nanoTime), ascending
     * @param nodes        the node index that gave each, in the same order
     * @param killed       the index of the node that was killed
     * @param killNanos    when it was killed
     * @param steadyNanos  the span before the kill the steady rate is measured over
     * @param seconds      how many seconds after the first acknowledgement from another node to count
     */
    static TakeoverFigures of(long[] sortedTimes, byte[] nodes, int killed, long killNanos, long steadyNanos,
            int seconds) {
        long lastBefore = Long.MIN_VALUE;
        long firstAfter = Long.MAX_VALUE;
        long steady = 0;
        for (int i = 0; i < sortedTimes.length; i++) {
            long t = sortedTimes[i];
            if (t <= killNanos || nodes[i] == killed) {
                // an answer the killed node sent just before it died may be stamped after the kill
                if (firstAfter == Long.MAX_VALUE) {
                    lastBefore = Math.max(lastBefore, t);
                }
                if (t <= killNanos && t > killNanos - steadyNanos) {
                    steady++;
                }
            } else if (t < firstAfter) {
                firstAfter = t;
            }
        }
        double steadyRate = steady / (steadyNanos / 1e9);
        long[] perSecond = new long[seconds];
        if (firstAfter == Long.MAX_VALUE || lastBefore == Long.MIN_VALUE) {
            return new TakeoverFigures(NONE, NONE, steadyRate, perSecond);
        }
        int from = lowerBound(sortedTimes, firstAfter);
        long end = firstAfter + seconds * 1_000_000_000L;
        for (int i = from; i < sortedTimes.length && sortedTimes[i] < end; i++) {
            perSecond[(int) ((sortedTimes[i] - firstAfter) / 1_000_000_000L)]++;
        }
        return new TakeoverFigures(firstAfter - lastBefore, firstAfter, steadyRate, perSecond);
    }

    boolean tookOver() {
        return windowNanos != NONE;
    }

    double windowMillis() {
        return windowNanos / 1e6;
    }

    /** The mean rate over seconds [from, to) after the first acknowledgement, as a share of the steady rate. */
    double shareOfSteady(int from, int to) {
        if (steadyPerSecond <= 0 || to > perSecond.length) {
            return Double.NaN;
        }
        long sum = 0;
        for (int s = from; s < to; s++) {
            sum += perSecond[s];
        }
        return sum / (double) (to - from) / steadyPerSecond;
    }

    /**
     * The end of the first second after the first acknowledgement in which the rate reached
     * {@code share} of the steady rate (1 = within the first second), or -1 if none did (or no
     * takeover happened, or nothing was acknowledged before the kill).
     */
    int secondsTo(double share) {
        if (!tookOver() || steadyPerSecond <= 0) {
            return -1;
        }
        for (int s = 0; s < perSecond.length; s++) {
            if (perSecond[s] >= share * steadyPerSecond) {
                return s + 1;
            }
        }
        return -1;
    }

    /** The index of the first element of {@code sorted} not below {@code value}. */
    static int lowerBound(long[] sorted, long value) {
        int i = Arrays.binarySearch(sorted, value);
        if (i < 0) {
            return -i - 1;
        }
        while (i > 0 && sorted[i - 1] == value) {
            i--;
        }
        return i;
    }
}
