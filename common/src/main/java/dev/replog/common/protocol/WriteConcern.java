package dev.replog.common.protocol;

import java.util.Locale;

/**
 * How many nodes, the master counted, must hold an entry before its write is acknowledged:
 * an explicit count {@code 1..n}, {@code majority} ({@code n/2 + 1}) or {@code all} ({@code n}).
 */
public record WriteConcern(Kind kind, int count) {

    /** The three ways to say {@code w}. */
    public enum Kind { COUNT, MAJORITY, ALL }

    public static final WriteConcern ONE = new WriteConcern(Kind.COUNT, 1);

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
     * Parses the textual form: a positive decimal integer, {@code majority} or {@code all}.
     *
     * @throws IllegalArgumentException with a message fit for the caller otherwise
     */
    public static WriteConcern parse(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.equals("majority")) {
            return majority();
        }
        if (value.equals("all")) {
            return all();
        }
        if (!value.matches("[0-9]{1,9}")) {
            throw new IllegalArgumentException(
                    "w must be an integer 1..n, \"majority\" or \"all\", was \"" + text + "\"");
        }
        int count = Integer.parseInt(value);
        if (count < 1) {
            throw new IllegalArgumentException("w must be at least 1, was " + count);
        }
        return nodes(count);
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
