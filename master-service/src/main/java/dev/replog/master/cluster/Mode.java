package dev.replog.master.cluster;

/** Whether the master accepts writes. */
public enum Mode {
    /** A quorum of nodes is reachable: writes are accepted. */
    READ_WRITE,
    /** Fewer than a quorum of nodes are reachable: writes answer 503, reads work. */
    READ_ONLY,
    /** The master is restoring its log from the secondaries: writes answer 503, reads work. */
    RECOVERING,
    /** A standby master instance: writes are redirected (307) to the active master, reads work. */
    STANDBY
}
