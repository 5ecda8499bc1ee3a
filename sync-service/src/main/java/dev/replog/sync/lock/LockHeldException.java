package dev.replog.sync.lock;

import dev.replog.common.web.ReplogException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;

/** The lock was not granted within {@code waitMs}: 409 with who holds it and until when. */
public class LockHeldException extends ReplogException {

    private final String holder;
    private final Instant expiresAt;

    public LockHeldException(String name, String holder, Instant expiresAt) {
        super(HttpStatus.CONFLICT, "Lock held", holder == null
                ? "lock " + name + " is free but promised to an earlier waiter"
                : "lock " + name + " is held by " + holder + " until " + expiresAt);
        this.holder = holder;
        this.expiresAt = expiresAt;
    }

    @Override
    public Map<String, Object> properties() {
        Map<String, Object> properties = new LinkedHashMap<>();
        if (holder != null) {
            properties.put("holder", holder);
            properties.put("expiresAt", expiresAt.toString());
        }
        return properties;
    }
}
