package dev.replog.faulty;

import dev.replog.common.web.BadRequestException;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The faults in force at start-up, under {@code replog.faults.*} (also {@code REPLOG_FAULTS_DOWN}, ...);
 * all off by default. Out-of-range values fail the start.
 *
 * @param errorBeforeAppend probability in [0, 1] that an append is answered 500 without touching the log
 * @param errorAfterAppend  probability in [0, 1] that an append is stored and then answered 500
 * @param delayMs           delay in ms (0..60000) before a replication request proceeds
 * @param delayJitterMs     extra random delay in ms (0..60000), uniform in [0, delayJitterMs]
 * @param down              answer 503 to every replication request (appends and heartbeats)
 */
@ConfigurationProperties(prefix = "replog.faults")
public record FaultProperties(
        @DefaultValue("0") double errorBeforeAppend,
        @DefaultValue("0") double errorAfterAppend,
        @DefaultValue("0") long delayMs,
        @DefaultValue("0") long delayJitterMs,
        @DefaultValue("false") boolean down) {

    public FaultProperties {
        try {
            new FaultSettings(errorBeforeAppend, errorAfterAppend, delayMs, delayJitterMs, down);
        } catch (BadRequestException e) {
            throw new IllegalArgumentException("invalid replog.faults.*: " + e.getMessage(), e);
        }
    }

    /** The same values as the run-time settings. */
    public FaultSettings toSettings() {
        return new FaultSettings(errorBeforeAppend, errorAfterAppend, delayMs, delayJitterMs, down);
    }
}
