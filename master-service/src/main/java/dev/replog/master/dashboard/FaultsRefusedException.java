package dev.replog.master.dashboard;

import dev.replog.common.web.ReplogException;
import java.util.Map;
import org.springframework.http.HttpStatus;

/** The node refused the change (bad field or value, with its own 4xx status); nothing changed. */
class FaultsRefusedException extends ReplogException {

    private final String node;

    FaultsRefusedException(String node, HttpStatus status, String detail) {
        super(status, "Faults refused", node + " refused the change: " + (detail == null ? status.getReasonPhrase() : detail));
        this.node = node;
    }

    @Override
    public Map<String, Object> properties() {
        return Map.of("node", node);
    }
}
