package dev.replog.master.dashboard;

import dev.replog.common.web.ReplogException;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;

/** No configured node has this name; nothing was sent anywhere. */
class UnknownNodeException extends ReplogException {

    private final String node;
    private final List<String> known;

    UnknownNodeException(String node, List<String> known) {
        super(HttpStatus.NOT_FOUND, "Unknown node", "no node named \"" + node + "\"; the secondaries are " + known);
        this.node = node;
        this.known = known;
    }

    @Override
    public Map<String, Object> properties() {
        return Map.of("node", node, "nodes", known);
    }
}
