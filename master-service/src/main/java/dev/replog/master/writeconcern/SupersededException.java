package dev.replog.master.writeconcern;

import dev.replog.common.web.ReplogException;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * 503: a newer master superseded this one while a write waited for its write concern. Indefinite,
 * like a timeout: the entry was appended here and may or may not be in the newer master's log (it
 * is if a secondary held it before that master fenced it). No answer that comes after the newer
 * epoch was seen counts as an ack, so the wait cannot be completed.
 */
public class SupersededException extends ReplogException {

    private final long seq;
    private final int acks;
    private final int w;

    SupersededException(Supersession by, long seq, int acks, int w) {
        super(HttpStatus.SERVICE_UNAVAILABLE, "Superseded", "a newer master has taken over while this write waited: "
                + by.evidence() + "; this master has epoch " + by.epoch() + ". Entry " + seq + " was held by " + acks + " of the " + w + " nodes required; it may or may not "
                + "survive in the newer master's log (an indefinite outcome, like a timeout): read it there, or "
                + "retry there with the same Idempotency-Key");
        this.seq = seq;
        this.acks = acks;
        this.w = w;
    }

    @Override
    public Map<String, Object> properties() {
        return Map.of("seq", seq, "acks", acks, "w", w);
    }

    /**
     * How this master knows it was superseded ({@code evidence}, e.g. "secondary-1 follows epoch 7"
     * or "the lease passed to http://host:8083"), and the {@code epoch} it led with.
     */
    public record Supersession(String evidence, long epoch) {

        /** {@code node} follows {@code newerEpoch}, above this master's {@code epoch}. */
        public static Supersession byEpoch(String node, long newerEpoch, long epoch) {
            return new Supersession(node + " follows epoch " + newerEpoch, epoch);
        }
    }
}
