package dev.replog.sync.lock;

import dev.replog.common.web.BadRequestException;
import dev.replog.sync.paxos.Keys;
import java.time.Duration;
import java.util.Map;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code POST /locks/{name}/acquire} and {@code POST /locks/{name}/release}. */
@RestController
@RequestMapping("/locks")
class LockController {

    static final long MAX_TTL_MS = 86_400_000;
    static final long MAX_WAIT_MS = 300_000;
    static final int MAX_OWNER = 128;
    static final int MAX_OPERATION_ID = 128;

    private final LockService locks;

    LockController(LockService locks) {
        this.locks = locks;
    }

    /** The body of an acquire: {@code waitMs} defaults to 0 (do not wait). */
    record AcquireRequest(String owner, Long ttlMs, Long waitMs) {
    }

    /** The body of a release. */
    record ReleaseRequest(String owner, Long token) {
    }

    @PostMapping("/{name}/acquire")
    Mono<LockService.Grant> acquire(@PathVariable String name, @RequestBody AcquireRequest request,
            @RequestHeader(name = LockService.OPERATION_ID, required = false) String operationId) {
        requireName(name);
        String owner = requireOwner(request.owner());
        long ttl = within("ttlMs", request.ttlMs(), 1, MAX_TTL_MS, null);
        long wait = within("waitMs", request.waitMs(), 0, MAX_WAIT_MS, 0L);
        if (operationId != null && (operationId.isBlank() || operationId.length() > MAX_OPERATION_ID)) {
            throw new BadRequestException(LockService.OPERATION_ID + " must be 1.." + MAX_OPERATION_ID
                    + " non-blank characters");
        }
        return locks.acquire(name, owner, Duration.ofMillis(ttl), Duration.ofMillis(wait), operationId);
    }

    @PostMapping("/{name}/release")
    Mono<Map<String, Boolean>> release(@PathVariable String name, @RequestBody ReleaseRequest request) {
        requireName(name);
        String owner = requireOwner(request.owner());
        long token = within("token", request.token(), 1, Long.MAX_VALUE, null);
        return locks.release(name, owner, token).map(released -> Map.of("released", released));
    }

    private static void requireName(String name) {
        if (!Keys.NAME.matcher(name).matches()) {
            throw new BadRequestException("lock name must match " + Keys.NAME.pattern() + ", was \"" + name + "\"");
        }
    }

    private static String requireOwner(String owner) {
        if (owner == null || owner.isBlank() || owner.length() > MAX_OWNER) {
            throw new BadRequestException("owner is required: a non-blank string of at most " + MAX_OWNER
                    + " characters");
        }
        return owner;
    }

    private static long within(String field, Long value, long min, long max, Long fallback) {
        if (value == null) {
            if (fallback == null) {
                throw new BadRequestException(field + " is required (" + min + ".." + max + ")");
            }
            return fallback;
        }
        if (value < min || value > max) {
            throw new BadRequestException(field + " must be within " + min + ".." + max + ", was " + value);
        }
        return value;
    }
}
