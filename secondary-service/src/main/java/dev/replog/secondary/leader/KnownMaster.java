package dev.replog.secondary.leader;

import dev.replog.common.protocol.ActiveMaster;
import java.time.Clock;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * The active master as this secondary knows it: the one with the highest epoch that named itself
 * ({@link ActiveMaster#HEADER}) on an append or heartbeat. A master that leads heartbeats every
 * second, so one not heard from for {@link #FORGET_AFTER} is no longer vouched for (it may have
 * died; a takeover runs) and writes are answered "No master" instead of a redirect to it.
 */
@Component
public class KnownMaster {

    /** Three missed heartbeats at the default interval. */
    static final Duration FORGET_AFTER = Duration.ofSeconds(3);

    private final Clock clock;
    private ActiveMaster known;
    private long heardAt;

    public KnownMaster() {
        this(Clock.systemUTC());
    }

    KnownMaster(Clock clock) {
        this.clock = clock;
    }

    /** A request carried {@code header} (may be null: a standby's heartbeat, or an older master). */
    public void heard(String header) {
        ActiveMaster master = ActiveMaster.fromHeader(header);
        if (master == null) {
            return;
        }
        synchronized (this) {
            if (known == null || master.epoch() >= known.epoch()) {
                known = master;
                heardAt = clock.millis();
            }
        }
    }

    /** The active master while it is heard from; null otherwise. */
    public synchronized ActiveMaster current() {
        return known != null && clock.millis() - heardAt <= FORGET_AFTER.toMillis() ? known : null;
    }

    /** The last master heard from, however long ago (for {@code /health}); null if none. */
    public synchronized ActiveMaster last() {
        return known;
    }
}
