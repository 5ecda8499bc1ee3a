package dev.replog.common.web;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * A write reached a node that is not the active master; nothing was written. With the active
 * master known: {@code 307 Temporary Redirect} to the same path and query there (a client resends
 * the same request, body and {@code Idempotency-Key} included; {@code curl -L} just works).
 * Without (a takeover runs): {@code 503} "No master" with {@code Retry-After}.
 */
public final class NotActiveMasterException extends ReplogException {

    /** How long a client should wait before it tries again while no master is known. */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final String activeMaster;
    private final long epoch;

    private NotActiveMasterException(HttpStatus status, String title, String detail, String activeMaster, long epoch) {
        super(status, title, detail);
        this.activeMaster = activeMaster;
        this.epoch = epoch;
    }

    /** {@code node} is not the active master; {@code active} is. */
    public static NotActiveMasterException redirect(String node, String active, long epoch) {
        return new NotActiveMasterException(HttpStatus.TEMPORARY_REDIRECT, "Not the active master",
                node + " is not the active master; send writes to " + active
                        + (epoch > 0 ? " (epoch " + epoch + ")" : ""), active, epoch);
    }

    /** {@code node} is not the active master, and knows of none now: {@code why}. */
    public static NotActiveMasterException noMaster(String node, String why) {
        return new NotActiveMasterException(HttpStatus.SERVICE_UNAVAILABLE, "No master",
                node + " is not the active master and knows of none now (" + why + "); retry in "
                        + RETRY_AFTER.toSeconds() + " s", null, 0);
    }

    /** The active master's base URL; null for "No master". */
    public String activeMaster() {
        return activeMaster;
    }

    @Override
    public Map<String, Object> properties() {
        Map<String, Object> properties = new LinkedHashMap<>();
        if (activeMaster != null) {
            properties.put("activeMaster", activeMaster);
            if (epoch > 0) {
                properties.put("epoch", epoch);
            }
        }
        return properties;
    }

    @Override
    public void addHeaders(HttpHeaders headers, ServerHttpRequest request) {
        if (activeMaster == null) {
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(RETRY_AFTER.toSeconds()));
            return;
        }
        String query = request.getURI().getRawQuery();
        headers.set(HttpHeaders.LOCATION, activeMaster + request.getURI().getRawPath() + (query == null ? "" : "?" + query));
    }
}
