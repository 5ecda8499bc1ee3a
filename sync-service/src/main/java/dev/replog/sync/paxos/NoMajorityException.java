package dev.replog.sync.paxos;

import dev.replog.common.web.ReplogException;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * No majority of acceptors answered (or contention did not settle) before the operation gave up:
 * 503. The outcome is indefinite: a change may or may not have been decided (a range may have been
 * taken and lost, never handed out twice).
 */
public class NoMajorityException extends ReplogException {

    private final int answered;
    private final int required;

    public NoMajorityException(String detail, int answered, int required) {
        super(HttpStatus.SERVICE_UNAVAILABLE, "No majority", detail);
        this.answered = answered;
        this.required = required;
    }

    @Override
    public Map<String, Object> properties() {
        return Map.of("answered", answered, "required", required);
    }
}
