package dev.replog.master.log;

/** The epoch this master took at start; every append it ships carries it. */
public record MasterEpoch(long value) {

    public MasterEpoch {
        if (value < 1) {
            throw new IllegalArgumentException("epoch must be >= 1, was " + value);
        }
    }
}
