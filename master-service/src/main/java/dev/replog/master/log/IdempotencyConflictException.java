package dev.replog.master.log;

import dev.replog.common.web.ReplogException;
import java.util.Map;
import org.springframework.http.HttpStatus;

/** An Idempotency-Key was reused with a different message; nothing was appended. */
public class IdempotencyConflictException extends ReplogException {

    private final long seq;

    public IdempotencyConflictException(long seq) {
        super(HttpStatus.UNPROCESSABLE_CONTENT, "Idempotency key reused",
                "this Idempotency-Key already names entry " + seq + " with a different message");
        this.seq = seq;
    }

    @Override
    public Map<String, Object> properties() {
        return Map.of("seq", seq);
    }
}
