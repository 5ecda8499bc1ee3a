package dev.replog.client.sync;

import dev.replog.client.error.BadInputException;
import dev.replog.client.error.ReplogException;
import dev.replog.client.error.UnavailableException;
import dev.replog.client.http.Answer;
import dev.replog.client.http.Backoff;
import dev.replog.client.http.Problem;
import dev.replog.client.http.Transport;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;

/**
 * Requests to the sync cluster: any node answers, so a node that does not (no connection, a
 * timeout, a 5xx such as 503 "No majority") is left for the next one, round the nodes until the
 * deadline. A 4xx is the answer. What a repeated request may do is the caller's concern: a range
 * taken twice leaves a gap (never a duplicate); an acquire carries one {@code Replog-Operation-Id}
 * across its copies.
 */
public final class SyncCaller {

    private static final Duration MIN_BACKOFF = Duration.ofMillis(50);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(1);

    private final Transport transport;
    private final List<URI> nodes;
    private final Duration requestTimeout;
    private final Duration retryTimeout;
    private final AtomicInteger preferred = new AtomicInteger();

    /**
     * @param nodes          the sync nodes
     * @param requestTimeout how long one request may take
     * @param retryTimeout   how long a call is retried across nodes before it fails
     */
    public SyncCaller(Transport transport, List<URI> nodes, Duration requestTimeout, Duration retryTimeout) {
        this.transport = transport;
        this.nodes = List.copyOf(nodes);
        this.requestTimeout = requestTimeout;
        this.retryTimeout = retryTimeout;
    }

    /** The sync nodes. */
    public List<URI> nodes() {
        return nodes;
    }

    /**
     * POSTs {@code json} to {@code path} on a sync node: a 2xx or 4xx answer, or
     * {@link UnavailableException} once no node has answered before the deadline.
     *
     * @param extraTime how much longer than the request timeout the node may take (a lock's wait)
     */
    public Mono<Answer> post(String path, byte[] json, Map<String, String> headers, Duration extraTime) {
        return post(path, json, headers, extraTime, retryTimeout.plus(extraTime));
    }

    /**
     * As {@link #post(String, byte[], Map, Duration)}, retried for {@code retryFor} at most, each
     * attempt bounded by the time left too: a node that holds a request past the caller's deadline
     * (a lease's end) must not keep it from the other nodes.
     */
    public Mono<Answer> post(String path, byte[] json, Map<String, String> headers, Duration extraTime,
            Duration retryFor) {
        return Mono.defer(() -> attempt(path, json, headers, extraTime, System.nanoTime() + retryFor.toNanos(), 0));
    }

    private Mono<Answer> attempt(String path, byte[] json, Map<String, String> headers, Duration extraTime,
            long deadline, int tries) {
        int index = preferred.get();
        URI node = nodes.get(Math.floorMod(index, nodes.size()));
        long left = Math.max(Duration.ofMillis(1).toNanos(), deadline - System.nanoTime());
        Duration attemptTimeout = Duration.ofNanos(Math.min(requestTimeout.plus(extraTime).toNanos(), left));
        return transport.post(node, path, json, headers, attemptTimeout)
                .flatMap(answer -> answer.status() < 500 ? Mono.just(answer)
                        : Mono.error(unavailable(Problem.of(answer), null)))
                .onErrorResume(error -> !(error instanceof ReplogException) || error instanceof UnavailableException,
                        error -> {
                            ReplogException failure = error instanceof UnavailableException unavailable ? unavailable
                                    : new UnavailableException(0, "Unreachable", node + " gave no answer: " + error,
                                            !Transport.notSent(error), error);
                            // the next caller starts at the next node too, until one answers
                            preferred.compareAndSet(index, index + 1);
                            Duration pause = (tries + 1) % nodes.size() == 0 ? Backoff.jittered(tries / nodes.size(), MIN_BACKOFF, MAX_BACKOFF)
                                    : Duration.ZERO;
                            if (System.nanoTime() + pause.toNanos() >= deadline) {
                                return Mono.error(failure);
                            }
                            return Mono.delay(pause).then(Mono.defer(() -> attempt(path, json, headers, extraTime,
                                    deadline, tries + 1)));
                        });
    }

    private static UnavailableException unavailable(Problem problem, Throwable cause) {
        return new UnavailableException(problem.status(), problem.title(), problem.detail(), true, cause);
    }

    /** The exception for a 4xx answer that the caller does not handle itself. */
    public static ReplogException refused(Answer answer) {
        Problem problem = Problem.of(answer);
        return answer.status() == 400 || answer.status() == 413 || answer.status() == 415
                ? new BadInputException(answer.status(), problem.title(), problem.detail())
                : new ReplogException(answer.status(), problem.title(), problem.detail(), false);
    }
}
