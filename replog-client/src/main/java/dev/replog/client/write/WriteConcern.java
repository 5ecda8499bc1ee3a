package dev.replog.client.write;

import java.util.Locale;

/**
 * How many nodes, the master counted, must hold an entry before its append is answered: a number
 * {@code 1..n}, {@link #MAJORITY} ({@code n/2+1}) or {@link #ALL} ({@code n}), where {@code n} is the
 * cluster size the master knows.
 *
 * @param level  what kind of concern
 * @param nodes  for {@link Level#NODES}, how many nodes (1 or more); 0 otherwise
 */
public record WriteConcern(Level level, int nodes) {

    /** The kinds of write concern. */
    public enum Level {
        /** A number of nodes. */
        NODES,
        /** {@code n/2 + 1} nodes. */
        MAJORITY,
        /** Every node of the cluster. */
        ALL
    }

    /** The master alone: answered once the master holds the entry. */
    public static final WriteConcern ONE = new WriteConcern(Level.NODES, 1);
    /** A majority of the cluster: the entry survives the loss of any minority. */
    public static final WriteConcern MAJORITY = new WriteConcern(Level.MAJORITY, 0);
    /** Every node of the cluster. */
    public static final WriteConcern ALL = new WriteConcern(Level.ALL, 0);

    public WriteConcern {
        if (level == null) {
            throw new IllegalArgumentException("level is required");
        }
        if (level == Level.NODES ? nodes < 1 : nodes != 0) {
            throw new IllegalArgumentException(level == Level.NODES
                    ? "a write concern counts at least 1 node, was " + nodes
                    : level + " takes no node count, was " + nodes);
        }
    }

    /** {@code nodes} nodes, 1 or more. */
    public static WriteConcern of(int nodes) {
        return new WriteConcern(Level.NODES, nodes);
    }

    /** "majority", "all" (any case) or a positive integer, as in {@code ?w=}. */
    public static WriteConcern parse(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "majority" -> MAJORITY;
            case "all" -> ALL;
            default -> {
                try {
                    yield of(Integer.parseInt(value));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("w must be a positive integer, \"majority\" or \"all\", was \""
                            + text + "\"");
                }
            }
        };
    }

    /** The JSON value of {@code w} in a request: the number, or the string "majority" / "all". */
    public Object wireValue() {
        return level == Level.NODES ? (Object) nodes : toString();
    }

    @Override
    public String toString() {
        return level == Level.NODES ? Integer.toString(nodes) : level.name().toLowerCase(Locale.ROOT);
    }
}
