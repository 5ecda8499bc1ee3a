package dev.replog.client;

import dev.replog.client.error.ReplogException;
import dev.replog.client.http.Nodes;
import dev.replog.client.http.Transport;
import dev.replog.client.ids.IdStream;
import dev.replog.client.lock.Lease;
import dev.replog.client.lock.LockClient;
import dev.replog.client.producer.ProducerSettings;
import dev.replog.client.producer.ReplogProducer;
import dev.replog.client.sync.SyncCaller;
import dev.replog.client.tail.Entry;
import dev.replog.client.tail.LogTailer;
import dev.replog.client.write.ActiveMaster;
import dev.replog.client.write.AppendResult;
import dev.replog.client.write.BatchResult;
import dev.replog.client.write.MasterProbe;
import dev.replog.client.write.MasterWriter;
import dev.replog.client.write.WriteConcern;
import dev.replog.client.write.WriteListener;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * The replog client: appends to the active master with a write concern, batches through a
 * {@link ReplogProducer}, follows the log across node deaths, hands out permanent ids and takes
 * leased locks from the sync cluster.
 *
 * <pre>{@code
 * try (ReplogClient client = ReplogClient.builder()
 *         .nodes(List.of("http://localhost:8080", "http://localhost:8081", "http://localhost:8082"))
 *         .syncNodes(List.of("http://localhost:8091", "http://localhost:8092", "http://localhost:8093"))
 *         .build()) {
 *     AppendResult result = client.appendAndWait("hello", WriteConcern.MAJORITY);
 * }
 * }</pre>
 *
 * <p>Writes go to the last master known (at first the first node), follow a node's
 * {@code 307} to the active master, wait out a {@code 503} "No master" for its {@code Retry-After},
 * and move on to the next node when one does not answer. Every write carries an
 * {@code Idempotency-Key} (made up when the caller gives none) kept across its retries, so a write
 * retried after a timeout, a dropped connection or a takeover is appended at most once. Failures are
 * {@link ReplogException}s; each says whether it is definite or indefinite. Thread-safe; one client
 * per application is enough.
 */
public final class ReplogClient implements AutoCloseable {

    private final Settings settings;
    private final Transport transport;
    private final MasterWriter writer;
    private final MasterProbe probe;
    private final LogTailer tailer;
    private final IdStream ids;
    private final LockClient locks;
    private final AtomicReference<ReplogProducer> producer = new AtomicReference<>();

    private ReplogClient(Settings settings) {
        this.settings = settings;
        this.transport = new Transport(settings.connectTimeout, settings.maxConnections);
        this.writer = new MasterWriter(transport, settings.nodes, settings.requestTimeout, settings.deliveryTimeout,
                settings.listener);
        this.probe = new MasterProbe(transport, settings.nodes, writer);
        this.tailer = new LogTailer(transport, settings.nodes, settings.tailIdleTimeout);
        SyncCaller sync = settings.syncNodes.isEmpty() ? null
                : new SyncCaller(transport, settings.syncNodes, settings.requestTimeout, settings.syncTimeout);
        this.ids = sync == null ? null : new IdStream(sync);
        this.locks = sync == null ? null : new LockClient(sync, settings.clientId, Schedulers.parallel());
    }

    /** A builder; {@link Builder#nodes} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Appends {@code message} with the client's default write concern. */
    public CompletableFuture<AppendResult> append(String message) {
        return append(message, settings.defaultW);
    }

    /** Appends {@code message} once {@code w} nodes hold it, within the client's delivery timeout. */
    public CompletableFuture<AppendResult> append(String message, WriteConcern w) {
        return append(message, w, null, null);
    }

    /**
     * Appends {@code message} once {@code w} nodes hold it, within {@code timeout} retries included;
     * when the master's wait for {@code w} passes the timeout, the future fails with a
     * {@link dev.replog.client.error.WriteTimeoutException} that carries the entry's seq and acks.
     */
    public CompletableFuture<AppendResult> append(String message, WriteConcern w, Duration timeout) {
        return append(message, w, timeout, null);
    }

    /**
     * As {@link #append(String, WriteConcern, Duration)} with the caller's {@code Idempotency-Key}
     * (at most 128 characters; null: a new UUID): the same key again, from any client, answers the
     * original entry and appends nothing.
     *
     * @param timeout null: the client's delivery timeout
     */
    public CompletableFuture<AppendResult> append(String message, WriteConcern w, Duration timeout,
            String idempotencyKey) {
        return writer.append(message, w, timeout, key(idempotencyKey)).toFuture();
    }

    /** {@link #append(String, WriteConcern)}, waiting for the answer; failures are thrown as they are. */
    public AppendResult appendAndWait(String message, WriteConcern w) {
        return await(append(message, w));
    }

    /** {@link #append(String, WriteConcern, Duration)}, waiting for the answer. */
    public AppendResult appendAndWait(String message, WriteConcern w, Duration timeout) {
        return await(append(message, w, timeout));
    }

    /**
     * Appends {@code messages} as consecutive entries in one request (at most 1000), all or none.
     *
     * @param timeout        null: the client's delivery timeout
     * @param idempotencyKey null: a new UUID
     */
    public CompletableFuture<BatchResult> appendBatch(List<String> messages, WriteConcern w, Duration timeout,
            String idempotencyKey) {
        return writer.appendBatch(new ArrayList<>(messages), w, timeout, key(idempotencyKey)).toFuture();
    }

    /** The client's producer, made on first use from the builder's producer settings; closed with the client. */
    public ReplogProducer producer() {
        ReplogProducer existing = producer.get();
        if (existing != null) {
            return existing;
        }
        ReplogProducer made = newProducer(settings.producer);
        if (producer.compareAndSet(null, made)) {
            return made;
        }
        made.close();
        return producer.get();
    }

    /** A producer of its own, batching by {@code producerSettings}; the caller closes it. */
    public ReplogProducer newProducer(ProducerSettings producerSettings) {
        return new ReplogProducer(writer, producerSettings);
    }

    /**
     * Every entry from {@code fromSeq} (1 or more) on, then each new one, read from the nodes in
     * the order given (the first first) and resumed on the next node when one dies or goes silent
     * for the tail idle timeout: no entry is missed or delivered twice. Never completes.
     */
    public Flux<Entry> tail(long fromSeq) {
        return tailer.tail(fromSeq);
    }

    /**
     * Permanent ids of the sync cluster's sequence {@code sequence}, fetched in ranges of
     * {@code bufferSize} (the next one before the current runs out). Ids never repeat; ids fetched
     * and not taken are a gap.
     */
    public Flux<Long> ids(String sequence, int bufferSize) {
        return requireSync("ids").ids(sequence, bufferSize);
    }

    /** Takes lock {@code name} for {@code ttl} if it is free now, else fails with a LockHeldException. */
    public CompletableFuture<Lease> lock(String name, Duration ttl) {
        return lock(name, ttl, Duration.ZERO);
    }

    /**
     * Takes lock {@code name} for {@code ttl}, waiting up to {@code wait} (at most 5 minutes) in the
     * lock's queue; the lease is renewed every third of {@code ttl} until released or lost.
     */
    public CompletableFuture<Lease> lock(String name, Duration ttl, Duration wait) {
        return requireLocks().acquire(name, ttl, wait).toFuture();
    }

    /** The active master, as the nodes' {@code GET /health} show it; it becomes the first to write to. */
    public CompletableFuture<ActiveMaster> activeMaster() {
        return probe.find(settings.connectTimeout.plus(Duration.ofSeconds(2))).toFuture();
    }

    /** The node writes go to first: the last that took one or was named as the master. */
    public URI lastKnownMaster() {
        return writer.lastKnownMaster();
    }

    /** Closes the producer (sending what it holds) and the connections. */
    @Override
    public void close() {
        ReplogProducer made = producer.get();
        if (made != null) {
            made.close();
        }
        transport.close();
    }

    /** Waits for {@code future}; throws its failure as it is (unwrapped). */
    public static <T> T await(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new CompletionException(cause);
        }
    }

    private static String key(String idempotencyKey) {
        if (idempotencyKey == null) {
            return UUID.randomUUID().toString();
        }
        if (idempotencyKey.isBlank() || idempotencyKey.length() > 128) {
            throw new IllegalArgumentException("an Idempotency-Key has 1..128 characters");
        }
        return idempotencyKey;
    }

    private IdStream requireSync(String what) {
        if (ids == null) {
            throw new IllegalStateException(what + " need the sync nodes: none were configured");
        }
        return ids;
    }

    private LockClient requireLocks() {
        if (locks == null) {
            throw new IllegalStateException("locks need the sync nodes: none were configured");
        }
        return locks;
    }

    /** The settings a client is built from; see {@link Builder}. */
    private record Settings(List<URI> nodes, List<URI> syncNodes, Duration connectTimeout, Duration requestTimeout,
            Duration deliveryTimeout, Duration syncTimeout, Duration tailIdleTimeout, int maxConnections,
            WriteConcern defaultW, ProducerSettings producer, WriteListener listener,
            String clientId) {
    }

    /** Builds a {@link ReplogClient}. Every time has a default; only {@link #nodes} is required. */
    public static final class Builder {
        private List<String> nodes = List.of();
        private List<String> syncNodes = List.of();
        private Duration connectTimeout = Duration.ofSeconds(1);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration deliveryTimeout = Duration.ofMinutes(2);
        private Duration syncTimeout = Duration.ofSeconds(30);
        /** Three of the nodes' keep-alive comments (every 15 s by default) missed in a row. */
        private Duration tailIdleTimeout = Duration.ofSeconds(45);
        private int maxConnections = 128;
        private WriteConcern defaultW = WriteConcern.ONE;
        private ProducerSettings producer = ProducerSettings.DEFAULTS;
        private WriteListener listener = WriteListener.NONE;
        private String clientId = "replog-client-" + UUID.randomUUID();

        private Builder() {
        }

        /** The master and secondary URLs ({@code http://host:port}); writes try the first first. */
        public Builder nodes(List<String> nodes) {
            this.nodes = List.copyOf(nodes);
            return this;
        }

        /** The sync-service URLs, for {@link ReplogClient#ids} and {@link ReplogClient#lock}. */
        public Builder syncNodes(List<String> syncNodes) {
            this.syncNodes = List.copyOf(syncNodes);
            return this;
        }

        /** How long opening a connection may take before the node counts as unreachable (1 s). */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = positive(connectTimeout, "connectTimeout");
            return this;
        }

        /** How long one attempt waits for its answer (30 s); the master is told to answer sooner. */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = positive(requestTimeout, "requestTimeout");
            return this;
        }

        /** How long a write without a timeout of its own is retried (2 min), as Kafka's delivery.timeout.ms. */
        public Builder deliveryTimeout(Duration deliveryTimeout) {
            this.deliveryTimeout = positive(deliveryTimeout, "deliveryTimeout");
            return this;
        }

        /** How long a sync-cluster call is retried across its nodes (30 s). */
        public Builder syncTimeout(Duration syncTimeout) {
            this.syncTimeout = positive(syncTimeout, "syncTimeout");
            return this;
        }

        /**
         * How long a tail's stream may stay silent, not even a keep-alive comment, before it reads
         * from the next node (45 s: three of the nodes' default {@code replog.stream.keep-alive}
         * of 15 s). Keep it above the nodes' keep-alive interval, or quiet logs switch nodes.
         */
        public Builder tailIdleTimeout(Duration tailIdleTimeout) {
            this.tailIdleTimeout = positive(tailIdleTimeout, "tailIdleTimeout");
            return this;
        }

        /** Connections per node, at most (128); callers beyond wait for one. */
        public Builder maxConnections(int maxConnections) {
            if (maxConnections < 1) {
                throw new IllegalArgumentException("maxConnections must be >= 1");
            }
            this.maxConnections = maxConnections;
            return this;
        }

        /** The write concern of {@link ReplogClient#append(String)} (1). */
        public Builder defaultW(WriteConcern defaultW) {
            this.defaultW = Objects.requireNonNull(defaultW, "defaultW");
            return this;
        }

        /** How {@link ReplogClient#producer()} batches. */
        public Builder producer(ProducerSettings producer) {
            this.producer = Objects.requireNonNull(producer, "producer");
            return this;
        }

        /** What is told of every write, for metrics. */
        public Builder listener(WriteListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Names this client in lock owners (a random id by default). */
        public Builder clientId(String clientId) {
            this.clientId = Objects.requireNonNull(clientId, "clientId");
            return this;
        }

        /** The client; it holds connections until closed. */
        public ReplogClient build() {
            return new ReplogClient(new Settings(Nodes.parse(nodes, "nodes"),
                    syncNodes.isEmpty() ? List.of() : Nodes.parse(syncNodes, "syncNodes"), connectTimeout,
                    requestTimeout, deliveryTimeout, syncTimeout, tailIdleTimeout, maxConnections, defaultW, producer,
                    listener, clientId));
        }

        private static Duration positive(Duration value, String name) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return value;
        }
    }
}
