package dev.replog.master.epoch;

/**
 * The epoch this master took when its recovery finished; every append it ships carries it.
 * 0 until then: a master without an epoch replicates nothing and accepts no writes.
 */
public final class MasterEpoch {

    private volatile long value;

    /** The current epoch, 0 before recovery took one. */
    public long value() {
        return value;
    }

    public boolean taken() {
        return value > 0;
    }

    /** Set once, by recovery. */
    public void take(long epoch) {
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch must be >= 1, was " + epoch);
        }
        if (value != 0) {
            throw new IllegalStateException("the epoch was already taken: " + value);
        }
        value = epoch;
    }
}
