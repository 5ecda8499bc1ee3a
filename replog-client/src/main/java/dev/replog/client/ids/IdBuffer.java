package dev.replog.client.ids;

import java.util.OptionalLong;

/**
 * The ids of one stream: the range being handed out and at most one range fetched ahead. The next
 * range is asked for once the current one is half used (and at once for ranges of one id), so the
 * stream rarely waits on the sync cluster. Ranges must come in increasing order, each above the
 * last: an id is never handed out twice; ids of a range left unused are a gap. Thread-safe.
 */
final class IdBuffer {

    private final int rangeSize;
    private long next = 1;
    private long last;
    private IdRange ahead;
    private boolean fetching;
    private long highest;

    /** @param rangeSize how many ids each range holds */
    IdBuffer(int rangeSize) {
        if (rangeSize < 1) {
            throw new IllegalArgumentException("rangeSize must be >= 1, was " + rangeSize);
        }
        this.rangeSize = rangeSize;
    }

    /** The next id, or empty when none is at hand (a fetch is due or running). */
    synchronized OptionalLong take() {
        if (next > last && ahead != null) {
            next = ahead.from();
            last = ahead.to();
            ahead = null;
        }
        return next <= last ? OptionalLong.of(next++) : OptionalLong.empty();
    }

    /**
     * True when a range should be fetched now (and then counts it as running): none is running or
     * waiting ahead, and at most half of the current range is left.
     */
    synchronized boolean startFetch() {
        if (fetching || ahead != null || remaining() > Math.max(1, rangeSize / 2)) {
            return false;
        }
        fetching = true;
        return true;
    }

    /** A fetched range arrived. */
    synchronized void add(IdRange range) {
        fetching = false;
        if (range.from() <= highest) {
            throw new IllegalStateException("range " + range.from() + ".." + range.to() + " of " + range.name()
                    + " does not follow the ids already handed out (up to " + highest + ")");
        }
        highest = range.to();
        if (next > last) {
            next = range.from();
            last = range.to();
        } else {
            ahead = range;
        }
    }

    /** A fetch failed; the next {@link #startFetch()} may try again. */
    synchronized void fetchFailed() {
        fetching = false;
    }

    /** Ids at hand in the current range. */
    synchronized long remaining() {
        return Math.max(0, last - next + 1);
    }
}
