package dev.replog.common.web;

import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * A typed error that {@link ProblemHandler} turns into an RFC 9457 problem+json answer.
 *
 * <p>Subclasses say what the caller needs to act on: the status, a short title, a detail
 * sentence and extra members (for example {@code seq} and {@code acks} of a timed-out write).
 * A 4xx error is definite (nothing was written); a 5xx error may be indefinite.
 */
public abstract class ReplogException extends RuntimeException {

    private final HttpStatus status;
    private final String title;

    protected ReplogException(HttpStatus status, String title, String detail) {
        super(detail);
        this.status = status;
        this.title = title;
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** Extra problem members, in addition to type, title, status, detail and instance. */
    public Map<String, Object> properties() {
        return Map.of();
    }

    /**
     * Headers the answer carries besides the problem (a redirect's {@code Location}, a
     * {@code Retry-After}); {@code request} is the request answered.
     */
    public void addHeaders(HttpHeaders headers, ServerHttpRequest request) {
        // none by default
    }
}
