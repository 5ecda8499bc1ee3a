package dev.replog.common.protocol;

/**
 * The sync-service sequence that hands out master epochs: each master start (and each takeover)
 * takes a range of it, so every epoch is unique and above every earlier one, and its {@code next}
 * minus one is the newest epoch any master has taken, which a node that lost its data reads
 * before it accepts an append.
 */
public final class EpochSequence {

    /** The sequence's name. */
    public static final String NAME = "master-epoch";

    private EpochSequence() {
    }
}
