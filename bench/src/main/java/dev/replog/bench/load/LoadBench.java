package dev.replog.bench.load;

import dev.replog.bench.ceiling.FixedAnswerServer;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.json.JsonMapper;

/**
 * Closed-loop load against replog, Redis or etcd: {@code --clients} threads, each with its own
 * connection, each sending its next write as soon as the previous one is acknowledged, for
 * {@code --duration} after {@code --warmup}. Prints operations/s, messages/s and the p50/p99/p999
 * latency (HdrHistogram, microsecond precision, warm-up excluded), appends one JSON object per run
 * to {@code --json}, and with {@code --verify} (replog only) checks afterwards that every node
 * holds the same log.
 *
 * <pre>
 * usage: bench [--target replog|redis|etcd] [--url URL] [--clients 16] [--duration 10s] [--warmup 3s]
 *              [--w 1|2|3|majority|all] [--size 100] [--batch 1] [--json FILE] [--label TEXT]
 *              [--verify --nodes URL,URL,...]
 *        bench producer ... (see {@link ProducerBench})
 *        bench takeover ... (see {@link TakeoverBench})
 *        bench ceiling [--port 0] (see {@link FixedAnswerServer})
 * </pre>
 */
public final class LoadBench {

    private static final PrintStream OUT = System.out;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private LoadBench() {
    }

    record Options(String target, URI url, int clients, Duration duration, Duration warmup, String w, int size,
            int batch, Path json, String label, boolean verify, List<URI> nodes) {
    }

    /** One run's figures. */
    record Result(String label, String target, String describe, int clients, String w, int size, int batch,
            double seconds, long ops, long errors, double opsPerSecond, double messagesPerSecond, double p50Ms,
            double p99Ms, double p999Ms, double maxMs, String firstError, Boolean verified) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("table")) { // bin/bench-compare's table of JSON results
            CompareTable.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("producer")) { // through the Java client's producer
            ProducerBench.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("ceiling")) { // bin/bench-compare's stack ceiling: a fixed 201
            FixedAnswerServer.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("takeover")) { // kill -9 of the active master under load
            TakeoverBench.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.println("usage: bench [--target replog|redis|etcd] [--url URL] [--clients 16] [--duration 10s] "
                    + "[--warmup 3s] [--w 1] [--size 100] [--batch 1] [--json FILE] [--label TEXT] "
                    + "[--verify --nodes URL,URL,...]");
            System.exit(2);
            return;
        }
        Target target = switch (options.target()) {
            case "replog" -> new ReplogTarget(options.url(), options.w(), options.batch() > 1);
            case "redis" -> new RedisTarget(options.url(), Integer.parseInt(options.w()), 10_000);
            case "etcd" -> new EtcdTarget(options.url());
            default -> throw new IllegalArgumentException("unknown target " + options.target());
        };
        Result result = run(options, target);
        if (options.verify()) {
            boolean same = new LogVerifier(options.nodes()).verify(Duration.ofSeconds(120), OUT);
            result = withVerified(result, same);
        }
        print(result);
        if (options.json() != null) {
            Files.writeString(options.json(), JSON.writeValueAsString(result) + "\n", StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
        if (Boolean.FALSE.equals(result.verified())) {
            System.exit(1);
        }
    }

    static Result run(Options options, Target target) throws Exception {
        OUT.printf(Locale.ROOT, "%s: %d clients, %d-byte messages, batch %d, %s warm-up + %s%n", target.describe(),
                options.clients(), options.size(), options.batch(), options.warmup(), options.duration());
        long startNanos = System.nanoTime();
        long measureFrom = startNanos + options.warmup().toNanos();
        long end = measureFrom + options.duration().toNanos();
        List<Histogram> histograms = new ArrayList<>();
        AtomicLong errors = new AtomicLong();
        Map<String, String> firstError = new ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch(options.clients());
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < options.clients(); c++) {
            Histogram histogram = new Histogram(60_000_000L, 3); // microseconds, up to a minute
            histograms.add(histogram);
            int client = c;
            Thread thread = new Thread(() -> {
                try (Target.Client connection = target.connect()) {
                    Payload payload = new Payload(client, options.size(), options.batch());
                    while (true) {
                        long before = System.nanoTime();
                        if (before >= end) {
                            break;
                        }
                        String failure;
                        try {
                            failure = connection.write(payload.next());
                        } catch (Exception e) {
                            failure = e.toString();
                        }
                        long after = System.nanoTime();
                        if (before >= measureFrom) {
                            if (failure == null) {
                                histogram.recordValue(Math.max(1, (after - before) / 1000));
                            } else {
                                errors.incrementAndGet();
                                firstError.putIfAbsent("first", failure);
                            }
                        }
                    }
                } catch (Exception e) {
                    errors.incrementAndGet();
                    firstError.putIfAbsent("first", e.toString());
                } finally {
                    done.countDown();
                }
            }, "load-" + c);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        done.await();
        Histogram all = new Histogram(60_000_000L, 3);
        histograms.forEach(all::add);
        double seconds = options.duration().toNanos() / 1e9;
        long ops = all.getTotalCount();
        return new Result(options.label(), options.target(), target.describe(), options.clients(), options.w(),
                options.size(), options.batch(), seconds, ops, errors.get(), ops / seconds, ops * options.batch() / seconds,
                all.getValueAtPercentile(50) / 1000.0, all.getValueAtPercentile(99) / 1000.0,
                all.getValueAtPercentile(99.9) / 1000.0, all.getMaxValue() / 1000.0, firstError.get("first"), null);
    }

    private static Result withVerified(Result r, boolean verified) {
        return new Result(r.label(), r.target(), r.describe(), r.clients(), r.w(), r.size(), r.batch(), r.seconds(),
                r.ops(), r.errors(), r.opsPerSecond(), r.messagesPerSecond(), r.p50Ms(), r.p99Ms(), r.p999Ms(),
                r.maxMs(), r.firstError(), verified);
    }

    static void print(Result r) {
        OUT.printf(Locale.ROOT, "%-7s clients=%-3d w=%-3s batch=%-4d ops/s=%9.0f msgs/s=%9.0f p50=%7.2fms p99=%7.2fms "
                        + "p999=%7.2fms max=%7.2fms errors=%d%s%n",
                r.target(), r.clients(), r.w(), r.batch(), r.opsPerSecond(), r.messagesPerSecond(), r.p50Ms(), r.p99Ms(),
                r.p999Ms(), r.maxMs(), r.errors(), r.verified() == null ? "" : " verified=" + r.verified());
        if (r.firstError() != null) {
            OUT.println("  first error: " + r.firstError());
        }
    }

    /** Messages of exactly {@code size} ASCII bytes, unique per client and operation (JSON-safe). */
    static final class Payload {
        private final String prefix;
        private final int size;
        private final String[] batch;
        private long counter;

        Payload(int client, int size, int batch) {
            this.prefix = "c" + client + "-";
            this.size = size;
            this.batch = new String[batch];
        }

        String[] next() {
            for (int i = 0; i < batch.length; i++) {
                String head = prefix + (counter++) + "-";
                StringBuilder message = new StringBuilder(size).append(head, 0, Math.min(head.length(), size));
                while (message.length() < size) {
                    message.append('x');
                }
                batch[i] = message.toString();
            }
            return batch;
        }
    }

    static Options parse(String[] args) {
        Map<String, String> values = CommandLine.values(args, List.of("target", "url", "clients", "duration", "warmup",
                "w", "size", "batch", "json", "label", "nodes"), List.of("verify"));
        boolean verify = values.containsKey("verify");
        String target = values.getOrDefault("target", "replog");
        String defaultUrl = switch (target) {
            case "replog" -> "http://127.0.0.1:8080";
            case "redis" -> "redis://127.0.0.1:6379";
            case "etcd" -> "http://127.0.0.1:2379";
            default -> throw new IllegalArgumentException("--target must be replog, redis or etcd");
        };
        URI url = URI.create(values.getOrDefault("url", defaultUrl));
        int clients = positive("clients", values.getOrDefault("clients", "16"));
        Duration duration = duration("duration", values.getOrDefault("duration", "10s"));
        Duration warmup = duration("warmup", values.getOrDefault("warmup", "3s"));
        String w = values.getOrDefault("w", "1");
        if (!target.equals("replog") && !w.matches("[1-9]")) {
            throw new IllegalArgumentException("--w must be a number of nodes for " + target);
        }
        int size = positive("size", values.getOrDefault("size", "100"));
        int batch = positive("batch", values.getOrDefault("batch", "1"));
        Path json = values.containsKey("json") ? Path.of(values.get("json")) : null;
        List<URI> nodes = values.containsKey("nodes")
                ? Arrays.stream(values.get("nodes").split(",")).map(String::trim).filter(s -> !s.isEmpty())
                        .map(URI::create).toList()
                : List.of(url);
        if (verify && !target.equals("replog")) {
            throw new IllegalArgumentException("--verify checks replog logs; it needs --target replog");
        }
        return new Options(target, url, clients, duration, warmup, w, size, batch, json,
                values.getOrDefault("label", target), verify, nodes);
    }

    static int positive(String option, String value) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("--" + option + " must be a positive integer, was " + value);
    }

    /** {@code 10s}, {@code 500ms}, {@code 2m} or a number of seconds. */
    static Duration duration(String option, String value) {
        String v = value.trim();
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
            }
            if (v.endsWith("m")) {
                return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)) * 60);
            }
            return Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + option + " must be a duration like 10s or 500ms, was " + value);
        }
    }
}
