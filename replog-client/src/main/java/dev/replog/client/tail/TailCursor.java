package dev.replog.client.tail;

/**
 * Where a tail stands: the last seq it delivered. An entry is delivered only if it is the next one,
 * so a tail that resumes on another node repeats nothing (anything at or below the last seq is
 * dropped) and skips nothing (an entry past the next one means the node skipped: reconnect).
 */
final class TailCursor {

    /** What to do with an entry a node sent. */
    enum Verdict {
        /** The next entry: deliver it. */
        DELIVER,
        /** Already delivered: drop it. */
        REPEAT,
        /** Past the next one: this node skipped entries; read elsewhere. */
        GAP
    }

    private long last;

    /** @param last the seq delivered last (the tail starts after it) */
    TailCursor(long last) {
        this.last = last;
    }

    /** Judges the entry {@code seq}, and moves on when it is delivered. */
    synchronized Verdict offer(long seq) {
        if (seq <= last) {
            return Verdict.REPEAT;
        }
        if (seq > last + 1) {
            return Verdict.GAP;
        }
        last = seq;
        return Verdict.DELIVER;
    }

    /** The seq delivered last. */
    synchronized long last() {
        return last;
    }
}
