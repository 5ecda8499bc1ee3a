package dev.replog.faulty;

import dev.replog.secondary.replication.DirectAppendGate;
import org.springframework.stereotype.Component;

/**
 * Sends appends through WebFlux, where {@link FaultFilter} runs, whenever a fault is switched on;
 * with every fault off they take the secondary's direct path, as on a healthy secondary.
 */
@Component
class FaultsSeeEveryAppend implements DirectAppendGate {

    private final Faults faults;

    FaultsSeeEveryAppend(Faults faults) {
        this.faults = faults;
    }

    @Override
    public boolean open() {
        return FaultSettings.NONE.equals(faults.current());
    }
}
