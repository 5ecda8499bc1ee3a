package dev.replog.master.cluster;

import dev.replog.common.protocol.ActiveMaster;
import java.time.Instant;

/** Who leads, as this master instance knows it (its {@code Leadership}). */
public interface LeaderView {

    Role role();

    /**
     * The active master: this instance while it is {@link Role#ACTIVE}, else the lease holder it
     * last learned of while that lease lasts; null while it knows of none (a takeover runs).
     */
    ActiveMaster activeMaster();

    /** This instance's last takeover; null if it made none. */
    Takeover lastTakeover();

    /**
     * A takeover by this instance: when it took the lease, from whom (null: the lease was free), and,
     * once it took writes, its epoch and how long lease-to-writes took.
     */
    record Takeover(Instant leaseTakenAt, String from, Long epoch, Long tookMillis) {
    }
}
