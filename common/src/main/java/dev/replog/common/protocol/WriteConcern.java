package dev.replog.common.protocol;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How many nodes, the master counted, must hold an entry before its write is acknowledged:
 * an explicit count {@code 1..n}, {@code majority} ({@code n/2 + 1}) or {@code all} ({@code n}).
 */
public record WriteConcern(Kind kind, int count) {

    /** The three ways to say {@code w}. */
    public enum Kind { COUNT, MAJORITY, ALL }

    public static final WriteConcern ONE = new WriteConcern(Kind.COUNT, 1);

    /** A count as {@link #toString()} writes it; nine digits at most, so that it fits an int. */
    private static final Pattern CANONICAL_COUNT = Pattern.compile("[1-9][0-9]{0,8}");

    public WriteConcern {
        if (kind == Kind.COUNT && count < 1) {
            throw new IllegalArgumentException("w must be at least 1, was " + count);
        }
        if (kind != Kind.COUNT) {
            count = 0;
        }
    }

    public static WriteConcern nodes(int count) {
        return new WriteConcern(Kind.COUNT, count);
    }

    public static WriteConcern majority() {
        return new WriteConcern(Kind.MAJORITY, 0);
    }

    public static WriteConcern all() {
        return new WriteConcern(Kind.ALL, 0);
    }

    /**
     * Parses the textual form exactly as {@link #toString()} writes it: a decimal integer
     * {@code 1..999999999} without sign, padding or leading zeros, {@code majority} or {@code all}.
     * Any other spelling ({@code " 2"}, {@code "02"}, {@code "MAJORITY"}) is refused, never corrected:
     * a client that sends it may mean something else, and should learn so.
     *
     * @throws IllegalArgumentException with a message fit for the caller otherwise
     */
    public static WriteConcern parse(String text) {
        if (text.equals("majority")) {
            return majority();
        }
        if (text.equals("all")) {
            return all();
        }
        if (!CANONICAL_COUNT.matcher(text).matches()) {
            throw new IllegalArgumentException(
                    "w must be an integer 1..n, \"majority\" or \"all\" (exactly, without spaces), was \"" + text + "\"");
        }
        return nodes(Integer.parseInt(text));
    }

    /**
     * The number of nodes this concern requires in a cluster of {@code clusterSize} nodes.
     *
     * @throws IllegalArgumentException when an explicit count exceeds the cluster size
     */
    public int required(int clusterSize) {
        return switch (kind) {
            case MAJORITY -> clusterSize / 2 + 1;
            case ALL -> clusterSize;
            case COUNT -> {
                if (count > clusterSize) {
                    throw new IllegalArgumentException(
                            "w=" + count + " exceeds the cluster size n=" + clusterSize);
                }
                yield count;
            }
        };
    }

    @Override
    public String toString() {
        return kind == Kind.COUNT ? Integer.toString(count) : kind.name().toLowerCase(Locale.ROOT);
    }
}
