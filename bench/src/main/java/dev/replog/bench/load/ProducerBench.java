package dev.replog.bench.load;

import dev.replog.client.ReplogClient;
import dev.replog.client.producer.ProducerSettings;
import dev.replog.client.producer.ReplogProducer;
import dev.replog.client.write.AppendResult;
import dev.replog.client.write.WriteConcern;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code bin/bench producer}: what a program gets through {@link ReplogClient}, in three phases of
 * one run, printed side by side:
 * <ol>
 * <li><b>producer</b>: {@code --clients} caller threads share one client's {@link ReplogProducer}; each
 * keeps up to {@code --window} sends unanswered (1: it waits for each message's seq before the
 * next, a closed loop); latency is one message's, from {@code send} to its seq;</li>
 * <li><b>lone append</b>: one caller, {@code client.append(message, w)} ({@code POST /messages}, not
 * through the producer), one in flight;</li>
 * <li><b>raw batch</b>: the existing closed-loop load of {@code POST /messages/batch} ({@link LoadBench}
 * with {@code --batch}) on the master the client found.</li>
 * </ol>
 * Every acknowledged message of the first two phases must carry a seq of its own ({@link SeqLedger});
 * a duplicate fails the run.
 */
final class ProducerBench {

    private static final PrintStream OUT = System.out;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final String USAGE = "usage: bench producer [--nodes URL,URL,...] [--cluster none|own] [--clients 64] "
            + "[--window 1] [--w 3] [--duration 10s] [--warmup 3s] [--jit-warmup 0s] [--size 100] [--linger 5ms] "
            + "[--max-batch 500] [--max-in-flight 4] [--batch-clients 16] [--batch 100] [--json FILE] [--label TEXT]";
    private static final String DEFAULT_NODES = "http://127.0.0.1:8080,http://127.0.0.1:8083,http://127.0.0.1:8081,"
            + "http://127.0.0.1:8082";

    record Options(List<URI> nodes, boolean own, int clients, int window, String w, Duration duration,
            Duration warmup, Duration jitWarmup, int size, Duration linger, int maxBatch, int maxInFlight,
            int batchClients, int batch, Path json, String label) {
    }

    private final Options options;

    private ProducerBench(Options options) {
        this.options = options;
    }

    static void main(String[] args) throws Exception {
        System.exit(new ProducerBench(CommandLine.parseOrExit("bench producer", USAGE, ProducerBench::parse, args)).run());
    }

    private int run() throws Exception {
        if (!options.own()) {
            return measure(options.nodes());
        }
        Path root = Path.of(System.getProperty("replog.root", ".")).toAbsolutePath().normalize();
        Path dir = root.resolve(".cluster").resolve("bench-producer");
        Files.createDirectories(dir);
        Path log = dir.resolve("bench-producer.log");
        ClusterControl cluster = ClusterControl.own(root, dir.resolve("cluster"), log);
        // no standby: it would only take CPU from the two shared cores; ids reserved 100,000 at a
        // time as bin/bench-compare does (a range of 1000 lasts 10 ms at 100k messages/s)
        List<ClusterControl.Node> started = new ArrayList<>(cluster.nodes().stream().filter(n -> !n.isMaster()).toList());
        ClusterControl.Node master = cluster.nodes().stream().filter(ClusterControl.Node::isMaster).findFirst()
                .orElseThrow();
        started.add(master);
        try (OwnCluster own = OwnCluster.start(cluster, "producer", log, Map.of("REPLOG_IDS_RANGE_SIZE", "100000"),
                started)) {
            List<URI> nodes = new ArrayList<>(List.of(URI.create(master.url())));
            started.stream().filter(ClusterControl.Node::isReplica).forEach(n -> nodes.add(URI.create(n.url())));
            return own == null ? 1 : measure(nodes);
        }
    }

    private int measure(List<URI> nodes) throws Exception {
        WriteConcern w = WriteConcern.parse(options.w());
        ProducerSettings settings = ProducerSettings.DEFAULTS.withW(w)
                .withBatching(options.linger(), options.maxBatch())
                .withMaxInFlight(options.maxInFlight());
        OUT.printf(Locale.ROOT, "producer: %d callers (window %d), w=%s, %d-byte messages, linger %d ms, max batch %d, "
                        + "%d batches in flight, through one ReplogClient on %s%n", options.clients(), options.window(),
                w, options.size(), options.linger().toMillis(), options.maxBatch(), options.maxInFlight(), nodes);
        SeqLedger ledger = new SeqLedger();
        List<PhaseFigures> phases = new ArrayList<>();
        try (ReplogClient client = ReplogClient.builder().nodes(nodes.stream().map(URI::toString).toList()).build();
                ReplogProducer producer = client.newProducer(settings)) {
            phases.add(callers("producer w=" + w, "a message, send to its seq", options.clients(), options.window(),
                    options.warmup().plus(options.jitWarmup()), producer::send, ledger));
            phases.add(callers("lone append w=" + w, "an append (POST /messages)", 1, 1, options.warmup(),
                    message -> client.append(message, w), ledger));
            URI master = client.lastKnownMaster();
            LoadBench.Options raw = new LoadBench.Options("replog", master, options.batchClients(),
                    options.duration(), options.warmup(), options.w(), options.size(), options.batch(), null,
                    options.label(), false, List.of(master));
            phases.add(PhaseFigures.of("raw batch w=" + w, "one request of " + options.batch() + " messages",
                    LoadBench.run(raw, new ReplogTarget(master, options.w(), options.batch() > 1))));
        }
        SeqLedger.Check check = ledger.check();
        OUT.print(PhaseFigures.table(phases));
        OUT.println((check.passed() ? "seqs: " : "FAILED, seqs: ") + check);
        if (options.json() != null) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("label", options.label());
            json.put("options", options.toString());
            json.put("phases", phases);
            json.put("seqs", check.seqs());
            json.put("duplicateSeqs", check.duplicates());
            Files.writeString(options.json(), JSON.writeValueAsString(json) + "\n", StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
        return check.passed() ? 0 : 1;
    }

    /**
     * {@code callers} threads, each keeping up to {@code window} of its {@code append}s unanswered
     * until the measured time is over, then waiting for its last answers. Operations that start
     * during the warm-up are not measured; every acknowledged seq goes to the ledger.
     */
    private PhaseFigures callers(String phase, String operation, int callers, int window, Duration warmup,
            Function<String, CompletableFuture<AppendResult>> append, SeqLedger ledger) throws InterruptedException {
        OUT.printf(Locale.ROOT, "%s: %d caller(s), %.1f s warm-up + %.1f s%n", phase, callers, warmup.toMillis() / 1e3,
                options.duration().toMillis() / 1e3);
        Histogram micros = new ConcurrentHistogram(60_000_000L, 3);
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        long measureFrom = System.nanoTime() + warmup.toNanos();
        long end = measureFrom + options.duration().toNanos();
        CountDownLatch done = new CountDownLatch(callers);
        for (int c = 0; c < callers; c++) {
            LoadBench.Payload payload = new LoadBench.Payload(c, options.size(), 1);
            SeqLedger.Seqs seqs = ledger.caller();
            Thread thread = new Thread(() -> {
                Semaphore unanswered = new Semaphore(window);
                try {
                    while (true) {
                        unanswered.acquire();
                        long before = System.nanoTime();
                        if (before >= end) {
                            break;
                        }
                        boolean measured = before >= measureFrom;
                        append.apply(payload.next()[0]).whenComplete((result, error) -> {
                            if (error == null) {
                                seqs.add(result.seq());
                                if (measured) {
                                    micros.recordValue(Math.max(1, (System.nanoTime() - before) / 1000));
                                }
                            } else if (measured) {
                                errors.incrementAndGet();
                                firstError.compareAndSet(null, describe(error));
                            }
                            unanswered.release();
                        });
                    }
                    unanswered.acquire(window - 1); // the rest of its sends answered
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            }, "caller-" + c);
            thread.setDaemon(true);
            thread.start();
        }
        done.await();
        return PhaseFigures.of(phase, operation, callers, options.duration(), micros, 1, errors.get(), firstError.get());
    }

    private static String describe(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause.toString();
    }

    static Options parse(String[] args) {
        Map<String, String> values = CommandLine.values(args, List.of("nodes", "cluster", "clients", "window", "w",
                "duration", "warmup", "jit-warmup", "size", "linger", "max-batch", "max-in-flight", "batch-clients",
                "batch", "json", "label"), List.of());
        String cluster = values.getOrDefault("cluster", "none");
        if (!cluster.equals("none") && !cluster.equals("own")) {
            throw new IllegalArgumentException("--cluster must be none or own, was " + cluster);
        }
        if (cluster.equals("own") && values.containsKey("nodes")) {
            throw new IllegalArgumentException("--cluster own starts its own nodes: leave out --nodes");
        }
        String w = values.getOrDefault("w", "3");
        WriteConcern.parse(w); // fails early on a bad w
        List<URI> nodes = Arrays.stream(values.getOrDefault("nodes", DEFAULT_NODES).split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).map(URI::create).toList();
        int maxBatch = LoadBench.positive("max-batch", values.getOrDefault("max-batch", "500"));
        if (maxBatch > ProducerSettings.MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("--max-batch must be at most " + ProducerSettings.MAX_BATCH_SIZE);
        }
        return new Options(nodes, cluster.equals("own"),
                LoadBench.positive("clients", values.getOrDefault("clients", "64")),
                LoadBench.positive("window", values.getOrDefault("window", "1")), w,
                LoadBench.duration("duration", values.getOrDefault("duration", "10s")),
                LoadBench.duration("warmup", values.getOrDefault("warmup", "3s")),
                LoadBench.duration("jit-warmup", values.getOrDefault("jit-warmup", "0s")),
                LoadBench.positive("size", values.getOrDefault("size", "100")),
                LoadBench.duration("linger", values.getOrDefault("linger", "5ms")), maxBatch,
                LoadBench.positive("max-in-flight", values.getOrDefault("max-in-flight", "4")),
                LoadBench.positive("batch-clients", values.getOrDefault("batch-clients", "16")),
                LoadBench.positive("batch", values.getOrDefault("batch", "100")),
                values.containsKey("json") ? Path.of(values.get("json")) : null,
                values.getOrDefault("label", "producer"));
    }
}
