package dev.replog.master.dashboard;

import dev.replog.common.web.ReplogException;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * The node did not answer in time, could not be connected to, or failed (502). Indefinite for a
 * change: the node may have applied it; read the faults again to know.
 */
class NodeUnreachableException extends ReplogException {

    private final String node;

    NodeUnreachableException(String node, String why) {
        super(HttpStatus.BAD_GATEWAY, "Node unreachable", node + " did not answer: " + why);
        this.node = node;
    }

    @Override
    public Map<String, Object> properties() {
        return Map.of("node", node);
    }
}
