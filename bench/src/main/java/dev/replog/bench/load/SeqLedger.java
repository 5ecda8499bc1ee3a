package dev.replog.bench.load;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The seqs a run's writes were answered with, kept per caller, to check afterwards that each
 * acknowledged message has a seq of its own: two messages answered with one seq would mean the
 * client handed one entry's result to two callers (or the master appended one entry for two).
 */
final class SeqLedger {

    private final List<Seqs> callers = new CopyOnWriteArrayList<>();

    /** The seqs of one caller; {@link Seqs#add} may be called from the threads that complete its writes. */
    static final class Seqs {
        private long[] seqs = new long[4096];
        private int size;

        synchronized void add(long seq) {
            if (size == seqs.length) {
                seqs = Arrays.copyOf(seqs, seqs.length * 2);
            }
            seqs[size++] = seq;
        }

        private synchronized int size() {
            return size;
        }

        /** Copies up to {@code max} seqs into {@code into} at {@code offset}; answers how many. */
        private synchronized int copyInto(long[] into, int offset, int max) {
            int copied = Math.min(size, max);
            System.arraycopy(seqs, 0, into, offset, copied);
            return copied;
        }
    }

    /** A new caller's seqs. */
    Seqs caller() {
        Seqs seqs = new Seqs();
        callers.add(seqs);
        return seqs;
    }

    /** What the check found: seqs recorded, and how many of them repeat one recorded before. */
    record Check(long seqs, long duplicates, long firstDuplicate) {

        boolean passed() {
            return duplicates == 0;
        }

        @Override
        public String toString() {
            return duplicates == 0 ? seqs + " acknowledged messages, each with its own seq"
                    : duplicates + " DUPLICATE seqs among " + seqs + " acknowledged messages (first: seq "
                            + firstDuplicate + ")";
        }
    }

    /**
     * Every caller's seqs together, sorted: each seq after the first of its value is a duplicate.
     * Copied into one array sized once (a run records tens of millions of seqs in a bench JVM of
     * 512 MiB); a caller still recording adds seqs that this check leaves out.
     */
    Check check() {
        long total = callers.stream().mapToLong(Seqs::size).sum();
        long[] all = new long[Math.toIntExact(total)];
        int filled = 0;
        for (Seqs caller : callers) {
            filled += caller.copyInto(all, filled, all.length - filled);
        }
        all = filled == all.length ? all : Arrays.copyOf(all, filled);
        Arrays.sort(all);
        long duplicates = 0;
        long first = -1;
        for (int i = 1; i < all.length; i++) {
            if (all[i] == all[i - 1]) {
                if (duplicates++ == 0) {
                    first = all[i];
                }
            }
        }
        return new Check(all.length, duplicates, first);
    }
}
