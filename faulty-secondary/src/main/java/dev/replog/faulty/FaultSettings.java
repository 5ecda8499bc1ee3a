package dev.replog.faulty;

import dev.replog.common.web.BadRequestException;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The faults this node injects into {@code /replication/**}; all off is {@link #NONE}.
 *
 * @param errorBeforeAppend probability in [0, 1] that an append is answered 500 without touching the log
 * @param errorAfterAppend  probability in [0, 1] that an append is stored and then answered 500
 * @param delayMs           delay in ms (0..60000) before a replication request proceeds
 * @param delayJitterMs     extra random delay in ms (0..60000), uniform in [0, delayJitterMs]
 * @param down              when true, every replication request (appends and heartbeats) gets 503
 * @throws BadRequestException when a value is out of range
 */
@Schema(description = "Faults injected into /replication/** (append and status)")
public record FaultSettings(
        @Schema(description = "Probability in [0, 1]: append answered 500, nothing stored", example = "0.0")
        double errorBeforeAppend,
        @Schema(description = "Probability in [0, 1]: append stored, then answered 500", example = "0.5")
        double errorAfterAppend,
        @Schema(description = "Delay in ms before a replication request proceeds (0..60000)", example = "0")
        long delayMs,
        @Schema(description = "Extra random delay in ms, uniform in [0, delayJitterMs] (0..60000)", example = "0")
        long delayJitterMs,
        @Schema(description = "Answer 503 to every replication request (appends and heartbeats)", example = "false")
        boolean down) {

    /** The longest delay and jitter accepted. */
    public static final long MAX_DELAY_MS = 60_000;

    /** Every fault off. */
    public static final FaultSettings NONE = new FaultSettings(0, 0, 0, 0, false);

    public FaultSettings {
        requireProbability("errorBeforeAppend", errorBeforeAppend);
        requireProbability("errorAfterAppend", errorAfterAppend);
        requireDelay("delayMs", delayMs);
        requireDelay("delayJitterMs", delayJitterMs);
    }

    /** One line for the log: every setting, name=value. */
    public String describe() {
        return "errorBeforeAppend=" + errorBeforeAppend + " errorAfterAppend=" + errorAfterAppend
                + " delayMs=" + delayMs + " delayJitterMs=" + delayJitterMs + " down=" + down;
    }

    private static void requireProbability(String name, double value) {
        if (!(value >= 0.0 && value <= 1.0)) { // written so that NaN fails too
            throw new BadRequestException(name + " must be a probability in [0, 1], was " + value);
        }
    }

    private static void requireDelay(String name, long value) {
        if (value < 0 || value > MAX_DELAY_MS) {
            throw new BadRequestException(name + " must be 0.." + MAX_DELAY_MS + " ms, was " + value);
        }
    }
}
