package dev.replog.sync.paxos;

import java.util.Comparator;

/**
 * A CASPaxos ballot: a counter and the id of the proposing node, ordered lexicographically, so
 * two nodes never propose with the same ballot.
 *
 * <p>The counter's top bits are the <em>generation</em> ({@link #generation()}): it only grows when
 * a node that lost its state re-joins, which fences every node above the old generation (see
 * {@code Membership}). Every ballot of an older generation is then below every ballot of the new
 * one, however high its counter went, so a round begun before the re-join can never finish after it.
 *
 * @param counter raised above every ballot a proposer has seen refused or accepted; its top bits
 *                are the generation
 * @param nodeId  the proposer's 1-based index in {@code replog.sync.peers}, plus the number of
 *                peers for a node's re-join proposer (0 only in {@link #ZERO} and in generation
 *                floors, {@link #floorOf(long)})
 */
public record Ballot(long counter, int nodeId) implements Comparable<Ballot> {

    /** Lower than every ballot a proposer uses: the state of a key nobody has touched. */
    public static final Ballot ZERO = new Ballot(0, 0);

    /** The counter bits below the generation: 2^40 rounds per generation, 2^23 generations. */
    static final int GENERATION_SHIFT = 40;

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

    /** The generation this ballot belongs to (0 until the first re-join of a node that lost its state). */
    public long generation() {
        return counter >>> GENERATION_SHIFT;
    }

    /** The lowest ballot of {@code generation}: above every ballot of every older generation. */
    public static Ballot floorOf(long generation) {
        if (generation < 0 || generation >= 1L << (63 - GENERATION_SHIFT)) {
            throw new IllegalArgumentException("generation out of range: " + generation);
        }
        return new Ballot(generation << GENERATION_SHIFT, 0);
    }

    public boolean isAbove(Ballot other) {
        return compareTo(other) > 0;
    }

    public static Ballot max(Ballot a, Ballot b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    @Override
    public String toString() {
        long generation = generation();
        long inGeneration = counter & ((1L << GENERATION_SHIFT) - 1);
        return (generation == 0 ? "" : "g" + generation + ":") + inGeneration + "." + nodeId;
    }
}
