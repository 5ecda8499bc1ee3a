package dev.replog.master.dashboard;

import dev.replog.common.web.ReplogException;
import java.util.Map;
import org.springframework.http.HttpStatus;

/** The node exists but has no {@code /faults} (the master, or a plain secondary); nothing changed. */
class NoFaultSwitchesException extends ReplogException {

    private final String node;

    NoFaultSwitchesException(String node, String detail) {
        super(HttpStatus.NOT_FOUND, "No fault switches", detail);
        this.node = node;
    }

    @Override
    public Map<String, Object> properties() {
        return Map.of("node", node);
    }
}
