package dev.replog.client.write;

import dev.replog.client.error.BadInputException;
import dev.replog.client.error.ReplogException;
import dev.replog.client.error.UnavailableException;
import dev.replog.client.http.Answer;
import dev.replog.client.http.Backoff;
import dev.replog.client.http.Json;
import dev.replog.client.http.Transport;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongFunction;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;

/**
 * Sends writes to the active master: first to the last master known, following the nodes'
 * redirects, moving on to the next node when one does not answer, and retrying by the rules of
 * {@link WriteDecision} until the write's deadline, always with the write's one
 * {@code Idempotency-Key}.
 */
public final class MasterWriter {

    static final String MESSAGES = "/messages";
    static final String BATCH = "/messages/batch";
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    /** Extra time the client waits for an answer past the {@code timeoutMs} it gave the master. */
    private static final Duration ANSWER_GRACE = Duration.ofSeconds(2);
    private static final Duration MIN_BACKOFF = Duration.ofMillis(50);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(1);

    private final Transport transport;
    private final List<URI> nodes;
    private final Duration requestTimeout;
    private final Duration deliveryTimeout;
    private final WriteListener listener;
    private final AtomicReference<URI> master;

    /**
     * @param nodes           every node a write may be sent to (masters and secondaries), the likely master first
     * @param requestTimeout  the longest one attempt waits for its answer (the master is told to answer sooner)
     * @param deliveryTimeout how long a write without a timeout of its own is retried
     */
    public MasterWriter(Transport transport, List<URI> nodes, Duration requestTimeout, Duration deliveryTimeout,
            WriteListener listener) {
        this.transport = transport;
        this.nodes = List.copyOf(nodes);
        this.requestTimeout = requestTimeout;
        this.deliveryTimeout = deliveryTimeout;
        this.listener = listener;
        this.master = new AtomicReference<>(this.nodes.get(0));
    }

    /** The node writes go to first: the last one that took a write, or that a node redirected to. */
    public URI lastKnownMaster() {
        return master.get();
    }

    /** Remembers {@code node} as the master to ask first (a hint from {@code /health}). */
    public void knownMaster(URI node) {
        master.set(node);
    }

    /**
     * Appends {@code message} with write concern {@code w}.
     *
     * @param timeout how long the whole append may take, retries included; null: the delivery timeout
     * @param key     the {@code Idempotency-Key} every attempt carries
     */
    public Mono<AppendResult> append(String message, WriteConcern w, Duration timeout, String key) {
        if (message == null || w == null) {
            BadInputException missing = new BadInputException(400, "Bad request", "message and w are required");
            listener.failed(1, missing);
            return Mono.error(missing);
        }
        return write(MESSAGES, timeoutMs -> body("message", message, w, timeoutMs), key, timeout, 1)
                .map(answer -> Json.read(answer.body(), AppendResult.class));
    }

    /** Appends {@code messages} as consecutive entries, as {@link #append} does one. */
    public Mono<BatchResult> appendBatch(List<String> messages, WriteConcern w, Duration timeout, String key) {
        if (messages.isEmpty() || messages.contains(null) || w == null) {
            BadInputException missing = new BadInputException(400, "Bad request",
                    "a batch needs at least one message, no null message, and w");
            listener.failed(messages.size(), missing);
            return Mono.error(missing);
        }
        return write(BATCH, timeoutMs -> body("messages", messages, w, timeoutMs), key, timeout, messages.size())
                .map(answer -> Json.read(answer.body(), BatchResult.class));
    }

    private static byte[] body(String field, Object value, WriteConcern w, long timeoutMs) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(field, value);
        body.put("w", w.wireValue());
        body.put("timeoutMs", timeoutMs);
        return Json.write(body);
    }

    private Mono<Answer> write(String path, LongFunction<byte[]> bodyFor, String key, Duration timeout, int messages) {
        return Mono.defer(() -> {
            long deadline = System.nanoTime() + (timeout != null ? timeout : deliveryTimeout).toNanos();
            return attempt(new Attempts(path, bodyFor, key, deadline), master.get());
        })
                .doOnNext(answer -> listener.appended(messages))
                .onErrorMap(JacksonException.class, e -> new UnavailableException(200, "Unreadable answer",
                        "the master's answer could not be read: " + e.getMessage(), true, e))
                .doOnError(ReplogException.class, failure -> listener.failed(messages, failure));
    }

    private Mono<Answer> attempt(Attempts attempts, URI node) {
        long remaining = attempts.deadline - System.nanoTime();
        Duration budget = Duration.ofNanos(Math.max(Duration.ofMillis(1).toNanos(),
                Math.min(remaining, requestTimeout.toNanos())));
        byte[] body = attempts.bodyFor.apply(Math.max(1, budget.toMillis()));
        return transport.post(node, attempts.path, body, Map.of(IDEMPOTENCY_KEY, attempts.key), budget.plus(ANSWER_GRACE))
                .map(Outcome::answered)
                .onErrorResume(error -> Mono.just(Outcome.failed(error)))
                .flatMap(outcome -> next(attempts, node,
                        WriteDecision.decide(outcome, node, attempts.path, attempts.maybeAppended)));
    }

    private Mono<Answer> next(Attempts attempts, URI node, Step step) {
        if (step instanceof Step.Done done) {
            master.set(node);
            return Mono.just(done.answer());
        }
        if (step instanceof Step.Fail fail) {
            return Mono.error(fail.failure());
        }
        if (step instanceof Step.Redirect redirect) {
            master.set(redirect.master());
            // nodes that disagree about the master (mid-takeover) could send a write in circles
            attempts.redirects++;
            Duration pause = attempts.redirects > 2 * nodes.size() + 2 ? backoff(attempts) : Duration.ZERO;
            return again(attempts, redirect.master(), pause, null);
        }
        Step.Retry retry = (Step.Retry) step;
        ReplogException failure = retry.failure();
        attempts.maybeAppended |= failure.indefinite();
        listener.retried(failure.title());
        URI target = node;
        if (retry.nextNode()) {
            target = nextAfter(node);
            master.compareAndSet(node, target);
            attempts.unanswered++;
        }
        Duration pause = retry.delay() != null ? retry.delay() : backoff(attempts);
        if (retry.nextNode() && attempts.unanswered % nodes.size() == 0) {
            // every node has been tried once more: pause before the next round
            pause = pause.plus(backoff(attempts));
        }
        return again(attempts, target, pause, failure);
    }

    private Mono<Answer> again(Attempts attempts, URI target, Duration pause, ReplogException failure) {
        if (System.nanoTime() + pause.toNanos() >= attempts.deadline) {
            return Mono.error(failure != null ? failure : new UnavailableException(0, "Redirect loop",
                    "the nodes kept redirecting the write until its deadline (last to " + target + ")",
                    attempts.maybeAppended, null));
        }
        Mono<Answer> next = Mono.defer(() -> attempt(attempts, target));
        return pause.isZero() ? next : Mono.delay(pause).then(next);
    }

    private URI nextAfter(URI node) {
        int index = nodes.indexOf(node);
        return nodes.get((index + 1) % nodes.size());
    }

    private static Duration backoff(Attempts attempts) {
        return Backoff.jittered(attempts.backoffs++, MIN_BACKOFF, MAX_BACKOFF);
    }

    /** The state of one write across its attempts (touched by one attempt at a time). */
    private static final class Attempts {
        final String path;
        final LongFunction<byte[]> bodyFor;
        final String key;
        final long deadline;
        boolean maybeAppended;
        int redirects;
        int unanswered;
        int backoffs;

        Attempts(String path, LongFunction<byte[]> bodyFor, String key, long deadline) {
            this.path = path;
            this.bodyFor = bodyFor;
            this.key = key;
            this.deadline = deadline;
        }
    }
}
