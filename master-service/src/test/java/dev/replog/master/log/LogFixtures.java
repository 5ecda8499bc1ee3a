package dev.replog.master.log;

import dev.replog.master.epoch.MasterEpoch;

import dev.replog.common.log.LogRecord;
import dev.replog.common.protocol.Entry;

/** Small pieces the master's log tests build their logs from. */
final class LogFixtures {

    private LogFixtures() {
    }

    /** An epoch taken, as recovery leaves it: 1. */
    static MasterEpoch epochOne() {
        MasterEpoch epoch = new MasterEpoch();
        epoch.take(1);
        return epoch;
    }

    /** The record of entry (seq, id = seq, "m" + seq) of epoch 1, written with {@code key} ("" for none). */
    static LogRecord record(long seq, String key) {
        return LogRecord.of(new Entry(seq, seq, "m" + seq), 1, key);
    }
}
