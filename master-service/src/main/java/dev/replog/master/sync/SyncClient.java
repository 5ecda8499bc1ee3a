package dev.replog.master.sync;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * The master's client of the sync-service cluster ({@code replog.sync.nodes}). Any node answers for
 * the cluster, so a call tries the nodes one after another, starting at a random one, each with a
 * timeout, until one answers; a node that answers 503 (it has no majority) counts as a failure.
 * A 4xx answer is a bug on our side and fails the call at once.
 */
public final class SyncClient {

    /** A range of a named sequence, {@code from..to} inclusive. */
    public record Range(String name, long from, long to) {
        public long size() {
            return to - from + 1;
        }
    }

    private final List<String> urls;
    private final List<WebClient> nodes;
    private final Duration timeout;
    /** The header that makes copies of one acquire grant at most once (the sync-service's {@code LockService}). */
    static final String OPERATION_ID = "Replog-Operation-Id";

    public SyncClient(List<String> urls, WebClient.Builder builder, Duration timeout) {
        this.urls = List.copyOf(urls);
        this.nodes = urls.stream().map(url -> builder.clone().baseUrl(URI.create(url).toString()).build()).toList();
        this.timeout = timeout;
    }

    public List<String> urls() {
        return urls;
    }

    /** Takes the next range of {@code size} numbers of the sequence {@code name}. */
    public Mono<Range> range(String name, long size) {
        if (nodes.isEmpty()) {
            return Mono.error(new SyncUnavailableException("no sync nodes configured (replog.sync.nodes)"));
        }
        return Mono.defer(() -> tryNodes(ThreadLocalRandom.current().nextInt(nodes.size()), 0, new ArrayList<>(),
                "range of " + name, (node, url) -> node.post().uri("/sequences/{name}/ranges", name)
                        .contentType(MediaType.APPLICATION_JSON)
                        .accept(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("size", size))
                        .exchangeToMono(response -> toRange(response, name, size, url))
                        .timeout(timeout, Mono.error(() -> new SyncUnavailableException("timed out after " + timeout)))));
    }

    private static Mono<Range> toRange(ClientResponse response, String name, long size, String url) {
        int status = response.statusCode().value();
        if (response.statusCode().is2xxSuccessful()) {
            return response.bodyToMono(Range.class)
                    .switchIfEmpty(Mono.error(() -> new SyncUnavailableException("empty answer")))
                    .flatMap(range -> valid(range, name, size)
                            ? Mono.just(range)
                            : Mono.error(new SyncRefusedException(url + " answered a bad range " + range + " for size "
                                    + size)));
        }
        if (response.statusCode().is4xxClientError()) {
            return response.bodyToMono(String.class).defaultIfEmpty("")
                    .flatMap(body -> Mono.error(new SyncRefusedException(url + " refused a range of " + name + " (size "
                            + size + "): " + status + " " + body)));
        }
        return response.releaseBody().then(Mono.error(new SyncUnavailableException("answered " + status)));
    }

    /** A lease on a lock: its fencing token and when it ends unless renewed. */
    public record Grant(String name, String owner, long token, Instant expiresAt) {
    }

    /**
     * Acquires (or, for its holder, renews) the lock {@code name} for {@code owner} for {@code ttl},
     * waiting up to {@code wait} in its queue. Fails with {@link LockHeldException} when another
     * owner holds it, with {@link SyncUnavailableException} when no node decides.
     */
    public Mono<Grant> acquire(String name, String owner, Duration ttl, Duration wait) {
        if (nodes.isEmpty()) {
            return Mono.error(new SyncUnavailableException("no sync nodes configured (replog.sync.nodes)"));
        }
        // one id for every copy of this acquire (a retry on the next node): it is granted at most once
        // not UUID.randomUUID(): SecureRandom may read /dev/urandom, a blocking call on an event loop
        String operationId = new UUID(ThreadLocalRandom.current().nextLong(), ThreadLocalRandom.current().nextLong())
                .toString();
        Map<String, Object> body = Map.of("owner", owner, "ttlMs", ttl.toMillis(), "waitMs", wait.toMillis());
        Duration callTimeout = timeout.plus(wait);
        return Mono.defer(() -> tryNodes(ThreadLocalRandom.current().nextInt(nodes.size()), 0, new ArrayList<>(),
                "lock " + name, (node, url) -> node.post().uri("/locks/{name}/acquire", name)
                        .contentType(MediaType.APPLICATION_JSON)
                        .accept(MediaType.APPLICATION_JSON, MediaType.APPLICATION_PROBLEM_JSON)
                        .header(OPERATION_ID, operationId)
                        .bodyValue(body)
                        .exchangeToMono(response -> toGrant(response, name, url))
                        .timeout(callTimeout, Mono.error(() -> new SyncUnavailableException("timed out after "
                                + callTimeout)))));
    }

    /** Releases {@code owner}'s lease on {@code name} under {@code token}; completes empty either way it ends. */
    public Mono<Void> release(String name, String owner, long token) {
        if (nodes.isEmpty()) {
            return Mono.empty();
        }
        return Mono.defer(() -> tryNodes(ThreadLocalRandom.current().nextInt(nodes.size()), 0, new ArrayList<>(),
                "release of lock " + name, (node, url) -> node.post().uri("/locks/{name}/release", name)
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("owner", owner, "token", token))
                        .exchangeToMono(response -> response.statusCode().is5xxServerError()
                                ? response.releaseBody().then(Mono.error(new SyncUnavailableException("answered "
                                        + response.statusCode().value())))
                                : response.releaseBody().then(Mono.just(true)))
                        .timeout(timeout, Mono.error(() -> new SyncUnavailableException("timed out after " + timeout)))))
                .then();
    }

    /** Tries {@code call} on each node from {@code start} until one answers; refusals end it at once. */
    private <T> Mono<T> tryNodes(int start, int tried, List<String> failures, String what,
            java.util.function.BiFunction<WebClient, String, Mono<T>> call) {
        int index = (start + tried) % nodes.size();
        String url = urls.get(index);
        return call.apply(nodes.get(index), url)
                .onErrorResume(error -> !(error instanceof SyncRefusedException || error instanceof LockHeldException),
                        error -> {
                            failures.add(url + ": " + describe(error));
                            if (tried + 1 < nodes.size()) {
                                return tryNodes(start, tried + 1, failures, what, call);
                            }
                            return Mono.error(new SyncUnavailableException("no sync node answered the " + what + " ("
                                    + String.join("; ", failures) + ")"));
                        });
    }

    private static Mono<Grant> toGrant(ClientResponse response, String name, String url) {
        int status = response.statusCode().value();
        if (response.statusCode().is2xxSuccessful()) {
            return response.bodyToMono(Grant.class)
                    .switchIfEmpty(Mono.error(() -> new SyncUnavailableException("empty answer")));
        }
        if (status == 409) {
            return response.bodyToMono(Map.class).defaultIfEmpty(Map.of()).flatMap(problem -> {
                Object holder = problem.get("holder");
                Object expiresAt = problem.get("expiresAt");
                return Mono.error(new LockHeldException(name, holder == null ? null : holder.toString(),
                        expiresAt == null ? null : Instant.parse(expiresAt.toString())));
            });
        }
        if (response.statusCode().is4xxClientError()) {
            return response.bodyToMono(String.class).defaultIfEmpty("")
                    .flatMap(body -> Mono.error(new SyncRefusedException(url + " refused lock " + name + ": " + status
                            + " " + body)));
        }
        return response.releaseBody().then(Mono.error(new SyncUnavailableException("answered " + status)));
    }

    /**
     * Another owner holds the lock ({@code holder}, null while it is free but promised to an earlier
     * waiter) until {@code expiresAt}.
     */
    public static final class LockHeldException extends IllegalStateException {
        private static final long serialVersionUID = 1L;
        private final String holder;
        private final Instant expiresAt;

        public LockHeldException(String name, String holder, Instant expiresAt) {
            super("lock " + name + (holder == null ? " is promised to an earlier waiter"
                    : " is held by " + holder + " until " + expiresAt));
            this.holder = holder;
            this.expiresAt = expiresAt;
        }

        public String holder() {
            return holder;
        }

        public Instant expiresAt() {
            return expiresAt;
        }
    }

    private static boolean valid(Range range, String name, long size) {
        return range.from() >= 1 && range.to() >= range.from() && range.size() == size
                && (range.name() == null || range.name().equals(name));
    }

    private static String describe(Throwable error) {
        String message = error.getMessage();
        return message == null ? error.getClass().getSimpleName() : message;
    }

    /** The sync cluster answered, but refused the request or answered nonsense: retrying will not help. */
    public static final class SyncRefusedException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        SyncRefusedException(String message) {
            super(message);
        }
    }
}
