package dev.replog.client.lock;

import dev.replog.client.error.LockHeldException;
import dev.replog.client.http.Answer;
import dev.replog.client.http.Json;
import dev.replog.client.http.Problem;
import dev.replog.client.ids.IdStream;
import dev.replog.client.sync.SyncCaller;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Leased locks of the sync cluster ({@code POST /locks/{name}/acquire} and {@code release}). Each
 * {@link #acquire} is its own owner, so two acquires never share a lease, even from one client.
 */
public final class LockClient {

    /** Names one acquire across its retries, so that a retried acquire is not granted twice. */
    static final String OPERATION_ID = "Replog-Operation-Id";
    /** The longest wait a sync node takes in one acquire. */
    public static final Duration MAX_WAIT = Duration.ofMinutes(5);

    private final SyncCaller sync;
    private final String clientId;
    private final Scheduler scheduler;
    private final AtomicLong owners = new AtomicLong();

    /**
     * @param clientId  names this client in every owner it makes (at most 100 characters)
     * @param scheduler where renewals are timed
     */
    public LockClient(SyncCaller sync, String clientId, Scheduler scheduler) {
        if (clientId.isBlank() || clientId.length() > 100) {
            throw new IllegalArgumentException("clientId must be 1..100 characters");
        }
        this.sync = sync;
        this.clientId = clientId;
        this.scheduler = scheduler;
    }

    /**
     * Acquires lock {@code name} for {@code ttl}, waiting up to {@code wait} while another holds it
     * ({@link LockHeldException} after that), and keeps it renewed until released or lost.
     */
    public Mono<Lease> acquire(String name, Duration ttl, Duration wait) {
        if (name == null || !IdStream.NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("lock name must match " + IdStream.NAME.pattern() + ", was \"" + name + "\"");
        }
        if (ttl.toMillis() < 3 || wait.isNegative() || wait.compareTo(MAX_WAIT) > 0) {
            throw new IllegalArgumentException("ttl must be at least 3 ms and wait within 0.." + MAX_WAIT);
        }
        String owner = clientId + "-" + owners.incrementAndGet();
        return Mono.defer(() -> {
            long sentAt = System.nanoTime();
            return request(name, owner, ttl, wait, null)
                    .map(grant -> new Lease(this, name, owner, grant.token(), ttl, sentAt, scheduler).start());
        });
    }

    /**
     * One acquire (or, by the owner that holds it, a renewal) with its own operation id, retried on
     * other nodes for at most {@code retryFor} (null: the client's sync timeout).
     */
    Mono<Grant> request(String name, String owner, Duration ttl, Duration wait, Duration retryFor) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("owner", owner);
        body.put("ttlMs", ttl.toMillis());
        body.put("waitMs", wait.toMillis());
        Map<String, String> headers = Map.of(OPERATION_ID, UUID.randomUUID().toString());
        String path = "/locks/" + name + "/acquire";
        Mono<Answer> answer = retryFor == null ? sync.post(path, Json.write(body), headers, wait)
                : sync.post(path, Json.write(body), headers, wait, retryFor);
        return answer.flatMap(LockClient::grant);
    }

    /** Releases the lease {@code token} of {@code owner}: true, or false when it had already passed. */
    Mono<Boolean> release(String name, String owner, long token) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("owner", owner);
        fields.put("token", token);
        byte[] body = Json.write(fields);
        return sync.post("/locks/" + name + "/release", body, Map.of(), Duration.ZERO)
                .flatMap(answer -> answer.ok() ? Mono.just(true)
                        : answer.status() == 409 ? Mono.just(false) : Mono.error(SyncCaller.refused(answer)));
    }

    private static Mono<Grant> grant(Answer answer) {
        if (answer.ok()) {
            return Mono.just(Json.read(answer.body(), Grant.class));
        }
        if (answer.status() == 409) {
            Problem problem = Problem.of(answer);
            String expiresAt = problem.text("expiresAt");
            return Mono.error(new LockHeldException(problem.detail(), problem.text("holder"),
                    expiresAt == null ? null : Instant.parse(expiresAt)));
        }
        return Mono.error(SyncCaller.refused(answer));
    }
}
