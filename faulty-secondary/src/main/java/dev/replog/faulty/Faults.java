package dev.replog.faulty;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** The faults in force now: start-up values from {@link FaultProperties}, changed at run time. */
@Component
class Faults {

    private static final Logger log = LoggerFactory.getLogger(Faults.class);

    private final AtomicReference<FaultSettings> current;

    Faults(FaultProperties properties) {
        FaultSettings initial = properties.toSettings();
        this.current = new AtomicReference<>(initial);
        if (!initial.equals(FaultSettings.NONE)) {
            log.info("faults at start-up: {}", initial.describe());
        }
    }

    /** The settings every request reads once, on arrival. */
    public FaultSettings current() {
        return current.get();
    }

    /**
     * Applies a change atomically; when {@code change} throws (an invalid value), nothing changes.
     *
     * @return the settings now in force
     */
    public FaultSettings change(UnaryOperator<FaultSettings> change) {
        FaultSettings now = current.updateAndGet(change);
        log.info("faults now: {}", now.describe());
        return now;
    }

    /** Switches every fault off. */
    public FaultSettings reset() {
        current.set(FaultSettings.NONE);
        log.info("faults now: {} (reset)", FaultSettings.NONE.describe());
        return FaultSettings.NONE;
    }
}
