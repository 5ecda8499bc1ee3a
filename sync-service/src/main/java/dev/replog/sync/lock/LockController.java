package dev.replog.sync.lock;

import dev.replog.common.web.BadRequestException;
import dev.replog.sync.config.ApiDocumentation;
import dev.replog.sync.paxos.Keys;
import java.time.Duration;
import java.util.Map;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
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
@Tag(name = "locks", description = "Leases with fencing tokens (the master's lease among them)")
class LockController {

    private static final String PROBLEM = MediaType.APPLICATION_PROBLEM_JSON_VALUE;
    private static final String NO_MAJORITY = "No majority answered, or contention did not settle, within "
            + "replog.sync.backoff.give-up-after: indefinite, the change may have been decided";

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
    @Operation(summary = "Acquire or renew a lease",
            description = "{owner, ttlMs (1..86400000), waitMs (0..300000, default 0)}: grants the lock for ttlMs "
                    + "with a fencing token that strictly increases per lock; the holder acquiring again renews the "
                    + "lease with the same token. Waiters queue first in, first out while they keep asking (one that "
                    + "stops asking drops out after 2 s).")
    @ApiResponse(responseCode = "200", description = "Granted: {name, owner, token, expiresAt}")
    @ApiResponse(responseCode = "400", description = "A bad name, owner (1..128 characters), ttlMs or waitMs, a "
            + "malformed body, or a bad Replog-Operation-Id", content = @Content(mediaType = PROBLEM))
    @ApiResponse(responseCode = "409", description = "Lock held: not granted within waitMs; holder and expiresAt say "
            + "who holds it until when. Also a copy of an acquire decided after its owner released the grant",
            content = @Content(mediaType = PROBLEM, schema = @Schema(ref = ApiDocumentation.LOCK_HELD)))
    @ApiResponse(responseCode = "415", description = "The body is not JSON", content = @Content(mediaType = PROBLEM))
    @ApiResponse(responseCode = "503", description = NO_MAJORITY, content = @Content(mediaType = PROBLEM,
            schema = @Schema(ref = ApiDocumentation.NO_MAJORITY)))
    Mono<LockService.Grant> acquire(
            @Parameter(schema = @Schema(pattern = ApiDocumentation.NAME_PATTERN)) @PathVariable String name,
            @RequestBody AcquireRequest request,
            @Parameter(description = "makes a retried acquire safe: a copy decided while the lease it got lasts "
                    + "answers that grant", schema = @Schema(type = "string", minLength = 1, maxLength = 128))
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
    @Operation(summary = "Release a lease", description = "{owner, token}: idempotent, the same release again "
            + "answers 200.")
    @ApiResponse(responseCode = "200", description = "{\"released\": true}")
    @ApiResponse(responseCode = "400", description = "A bad name, owner or token, or a malformed body",
            content = @Content(mediaType = PROBLEM))
    @ApiResponse(responseCode = "409", description = "Not the lock holder: another owner or token holds the lock, or "
            + "the lease expired", content = @Content(mediaType = PROBLEM))
    @ApiResponse(responseCode = "415", description = "The body is not JSON", content = @Content(mediaType = PROBLEM))
    @ApiResponse(responseCode = "503", description = NO_MAJORITY, content = @Content(mediaType = PROBLEM,
            schema = @Schema(ref = ApiDocumentation.NO_MAJORITY)))
    Mono<Map<String, Boolean>> release(
            @Parameter(schema = @Schema(pattern = ApiDocumentation.NAME_PATTERN)) @PathVariable String name,
            @RequestBody ReleaseRequest request) {
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
