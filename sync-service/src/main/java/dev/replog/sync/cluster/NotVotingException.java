package dev.replog.sync.cluster;

import dev.replog.common.web.ReplogException;
import java.util.Map;
import org.springframework.http.HttpStatus;

/** This node's acceptor does not vote yet: it is finding out whether it must re-join, or re-joining. */
public class NotVotingException extends ReplogException {

    private final String membership;

    public NotVotingException(String node, Membership.Status status) {
        super(HttpStatus.SERVICE_UNAVAILABLE, "Not voting",
                node + " does not vote yet (" + status + "): it started without state and is re-joining");
        this.membership = status.name();
    }

    @Override
    public Map<String, Object> properties() {
        return Map.of("membership", membership);
    }
}
