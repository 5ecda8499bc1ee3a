package dev.replog.master.write;

import dev.replog.common.web.ReplogException;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * {@code timeoutMs} passed before the write concern was met. Indefinite: the entry is in the log
 * and keeps replicating; only the wait ended.
 */
public class WriteTimeoutException extends ReplogException {

    private final long seq;
    private final int acks;
    private final int w;

    public WriteTimeoutException(long seq, int acks, int w, long timeoutMs) {
        super(HttpStatus.GATEWAY_TIMEOUT, "Write concern timeout",
                "entry " + seq + " is held by " + acks + " of the " + w + " nodes required after " + timeoutMs
                        + " ms; it stays in the log and keeps replicating");
        this.seq = seq;
        this.acks = acks;
        this.w = w;
    }

    @Override
    public Map<String, Object> properties() {
        return Map.of("seq", seq, "acks", acks, "w", w);
    }
}
