package dev.replog.sync.paxos;

import java.util.Comparator;

/**
 * A CASPaxos ballot: a counter and the id of the proposing node, ordered lexicographically, so
 * two nodes never propose with the same ballot.
 *
 * @param counter raised above every ballot a proposer has seen refused or accepted
 * @param nodeId  the proposer's 1-based index in {@code replog.sync.peers} (0 only in {@link #ZERO})
 */
public record Ballot(long counter, int nodeId) implements Comparable<Ballot> {

    /** Lower than every ballot a proposer uses: the state of a key nobody has touched. */
    public static final Ballot ZERO = new Ballot(0, 0);

    private static final Comparator<Ballot> ORDER =
            Comparator.comparingLong(Ballot::counter).thenComparingInt(Ballot::nodeId);

    public Ballot {
        if (counter < 0 || nodeId < 0) {
            throw new IllegalArgumentException("ballot parts must not be negative: " + counter + "." + nodeId);
        }
    }

    @Override
    public int compareTo(Ballot other) {
        return ORDER.compare(this, other);
    }

    public boolean isAbove(Ballot other) {
        return compareTo(other) > 0;
    }

    public static Ballot max(Ballot a, Ballot b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    @Override
    public String toString() {
        return counter + "." + nodeId;
    }
}
