package dev.replog.bench;

import dev.replog.common.log.FileLogStore;
import dev.replog.common.log.FsyncMode;
import dev.replog.common.log.WriterThread;
import dev.replog.common.protocol.Entry;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * Appends/s and append latency of {@link FileLogStore} for each fsync mode, appender count and
 * way of writing.
 *
 * <p>Each run opens a fresh store in a temporary directory and lets {@code appenders} threads append
 * one {@code message-bytes} entry at a time for a warm-up and then a measured period, and wait for
 * it to be durable before the next. How their entries reach the store's single writer:
 * <ul>
 *   <li>{@code batching}, as replog's nodes write: each appender queues its entry for one writer
 *       thread, which takes every entry waiting and appends them with one call (and, in
 *       {@code group} mode, leads the fsync that covers them); the entries that queue meanwhile
 *       form its next append;</li>
 *   <li>{@code locked}: each appender appends its own entry under one lock ({@code synchronized
 *       (writer) { f = store.append(...) }}) and waits <em>outside</em> it ({@code f.join()}). With
 *       {@code always}, and with {@code group} since the appending thread leads the group fsync,
 *       the fsync runs inside that lock, so appenders queue behind it: one fsync per append.</li>
 * </ul>
 * Latency is the time from asking for the writer to the append being durable (as the mode defines
 * it). Fsyncs are the store's own count (segment and directory fsyncs) over the whole run, warm-up
 * included, divided into all appends of the run.
 *
 * <pre>
 * usage: LogStoreBench [--seconds 5] [--warmup 1] [--modes group,always,none] [--appenders 1,64]
 *                      [--writers batching,locked] [--message-bytes 100] [--dir DIR]
 * </pre>
 *
 * Not a test: {@code ./mvnw verify} only runs it for a second per writer ({@code LogStoreBenchTest},
 * which asserts no figure). Run it with {@code bin/bench-store}.
 */
public final class LogStoreBench {

    private static final PrintStream OUT = System.out;

    private LogStoreBench() {
    }

    private static final String USAGE = "usage: LogStoreBench [--seconds 5] [--warmup 1] [--modes group,always,none] "
            + "[--appenders 1,64] [--writers batching,locked] [--message-bytes 100] [--dir DIR]";

    /** What to measure. */
    record Options(int seconds, int warmupSeconds, List<FsyncMode> modes, List<Integer> appenders,
            List<WriterKind> writers, int messageBytes, Path baseDir) {
    }

    /** How appenders reach the store (see the class comment). */
    enum WriterKind {
        BATCHING, LOCKED;

        static WriterKind parse(String value) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--writers takes batching and/or locked, not '" + value + "'");
            }
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One run's figures. */
    record Result(FsyncMode mode, int appenders, WriterKind writer, long measuredAppends, double measuredSeconds, Histogram latencyNanos,
            long totalAppends, long fsyncs, long recoveredSeq) {

        double appendsPerSecond() {
            return measuredAppends / measuredSeconds;
        }
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("LogStoreBench: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        Files.createDirectories(options.baseDir());
        OUT.printf(Locale.ROOT, "replog FileLogStore benchmark: %d-byte messages, %d s per run after %d s warm-up, "
                        + "in %s (%s), Java %s, %d CPUs%n",
                options.messageBytes(), options.seconds(), options.warmupSeconds(), options.baseDir().toAbsolutePath(),
                fileStoreType(options.baseDir()), System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors());
        List<Result> results = new ArrayList<>();
        for (FsyncMode mode : options.modes()) {
            for (WriterKind writer : options.writers()) {
                for (int appenders : options.appenders()) {
                    System.err.printf(Locale.ROOT, "running fsync=%s, %s writer, %d appender(s)...%n", name(mode),
                            writer, appenders);
                    results.add(run(options, mode, appenders, writer));
                }
            }
        }
        printTable(results);
    }

    static Result run(Options options, FsyncMode mode, int appenders, WriterKind kind) throws Exception {
        Path dir = Files.createTempDirectory(options.baseDir(),
                "replog-bench-" + name(mode) + "-" + kind + "-" + appenders + "-");
        try {
            String message = message(options.messageBytes());
            long fsyncs;
            long total;
            long measuredAppends = 0;
            Histogram latency = new Histogram(3);
            double measuredSeconds = options.seconds();
            long lastSeq;
            try (FileLogStore store = FileLogStore.open(dir, mode);
                    Writer writer = kind == WriterKind.BATCHING ? new BatchingWriter(store) : new LockedWriter(store)) {
                long fsyncsAtStart = fsyncCount(store);
                long start = System.nanoTime();
                long measureFrom = start + options.warmupSeconds() * 1_000_000_000L;
                long measureUntil = measureFrom + options.seconds() * 1_000_000_000L;
                List<Appender> threads = new ArrayList<>();
                for (int i = 0; i < appenders; i++) {
                    Appender appender = new Appender(writer, message, measureFrom, measureUntil);
                    appender.setName("appender-" + i);
                    appender.setDaemon(true);
                    threads.add(appender);
                }
                threads.forEach(Thread::start);
                total = 0;
                for (Appender appender : threads) {
                    appender.join();
                    if (appender.failure != null) {
                        throw new IllegalStateException(appender.getName() + " failed", appender.failure);
                    }
                    latency.add(appender.latency);
                    measuredAppends += appender.measured;
                    total += appender.appended;
                }
                long fsyncsAtEnd = fsyncCount(store);
                fsyncs = fsyncsAtStart < 0 || fsyncsAtEnd < 0 ? -1 : fsyncsAtEnd - fsyncsAtStart;
                lastSeq = store.lastSeq();
                if (lastSeq != total || store.durableSeq() != total) {
                    throw new IllegalStateException("the store holds seq 1.." + lastSeq + " (durable "
                            + store.durableSeq() + ") after " + total + " acknowledged appends");
                }
            }
            // Reopening recovers from disk: every acknowledged append must be there.
            long recovered;
            try (FileLogStore reopened = FileLogStore.open(dir, mode)) {
                recovered = reopened.lastSeq();
            }
            if (recovered != lastSeq) {
                throw new IllegalStateException("reopened store holds seq 1.." + recovered + ", expected " + lastSeq);
            }
            return new Result(mode, appenders, kind, measuredAppends, measuredSeconds, latency, total, fsyncs, recovered);
        } finally {
            deleteRecursively(dir);
        }
    }

    /** The way to the store's single writer: seqs handed out in append order; durable when the future completes. */
    interface Writer extends AutoCloseable {

        CompletableFuture<Long> append(String message);

        @Override
        default void close() {
        }
    }

    /** Each appender appends its own entry, one call at a time under one lock. */
    static final class LockedWriter implements Writer {
        private final FileLogStore store;
        private long nextSeq = 1;

        LockedWriter(FileLogStore store) {
            this.store = store;
        }

        @Override
        public CompletableFuture<Long> append(String message) {
            synchronized (this) {
                long seq = nextSeq++;
                return store.append(List.of(new Entry(seq, seq, message)));
            }
        }
    }

    /**
     * replog's way (the master's {@code MessageLog}): appenders queue their entries; one writer
     * thread takes every entry waiting and appends them with one call, and completes their futures
     * once that call's records are durable.
     */
    static final class BatchingWriter implements Writer {
        private record Request(String message, CompletableFuture<Long> durable) {
        }

        private final FileLogStore store;
        private final WriterThread thread = new WriterThread("bench-writer");
        private final Queue<Request> queue = new ConcurrentLinkedQueue<>();
        private final AtomicInteger wip = new AtomicInteger();
        private long nextSeq = 1; // the writer thread's

        BatchingWriter(FileLogStore store) {
            this.store = store;
        }

        @Override
        public CompletableFuture<Long> append(String message) {
            CompletableFuture<Long> durable = new CompletableFuture<>();
            queue.add(new Request(message, durable));
            if (wip.getAndIncrement() == 0) {
                thread.execute(this::drain);
            }
            return durable;
        }

        /** One writer turn: appends what is waiting until nothing is (the work-in-progress loop). */
        private void drain() {
            int missed = 1;
            while (true) {
                List<Request> group = new ArrayList<>();
                for (Request r = queue.poll(); r != null; r = queue.poll()) {
                    group.add(r);
                }
                if (!group.isEmpty()) {
                    appendGroup(group);
                }
                missed = wip.addAndGet(-missed);
                if (missed == 0) {
                    return;
                }
            }
        }

        private void appendGroup(List<Request> group) {
            List<Entry> entries = new ArrayList<>(group.size());
            for (Request r : group) {
                long seq = nextSeq++;
                entries.add(new Entry(seq, seq, r.message()));
            }
            try {
                store.append(entries).whenComplete((durable, error) -> group.forEach(r -> {
                    if (error == null) {
                        r.durable().complete(durable);
                    } else {
                        r.durable().completeExceptionally(error);
                    }
                }));
            } catch (RuntimeException e) {
                group.forEach(r -> r.durable().completeExceptionally(e));
            }
        }

        @Override
        public void close() {
            thread.close(10, TimeUnit.SECONDS);
        }
    }

    /** Appends one entry at a time until {@code until}, recording latencies of appends started in the window. */
    static final class Appender extends Thread {
        private final Writer writer;
        private final String message;
        private final long measureFrom;
        private final long measureUntil;
        final Histogram latency = new Histogram(3);
        long measured;
        long appended;
        volatile Throwable failure;

        Appender(Writer writer, String message, long measureFrom, long measureUntil) {
            this.writer = writer;
            this.message = message;
            this.measureFrom = measureFrom;
            this.measureUntil = measureUntil;
        }

        @Override
        public void run() {
            try {
                while (true) {
                    long t0 = System.nanoTime();
                    if (t0 >= measureUntil) {
                        return;
                    }
                    writer.append(message).join();
                    long t1 = System.nanoTime();
                    appended++;
                    if (t0 >= measureFrom) {
                        measured++;
                        latency.recordValue(t1 - t0);
                    }
                }
            } catch (Throwable t) {
                failure = t;
            }
        }
    }

    static void printTable(List<Result> results) {
        OUT.println();
        OUT.printf(Locale.ROOT, "%-7s %-9s %9s %12s %9s %9s %10s %10s %9s %14s%n", "fsync", "writer", "appenders",
                "appends/s", "p50 µs", "p99 µs", "p99.9 µs", "max µs", "fsyncs", "appends/fsync");
        for (Result r : results) {
            Histogram h = r.latencyNanos();
            OUT.printf(Locale.ROOT, "%-7s %-9s %9d %12.0f %9.1f %9.1f %10.1f %10.1f %9s %14s%n",
                    name(r.mode()), r.writer(), r.appenders(), r.appendsPerSecond(),
                    micros(h.getValueAtPercentile(50)), micros(h.getValueAtPercentile(99)),
                    micros(h.getValueAtPercentile(99.9)), micros(h.getMaxValue()),
                    r.fsyncs() < 0 ? "n/a" : Long.toString(r.fsyncs()),
                    r.fsyncs() <= 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", (double) r.totalAppends() / r.fsyncs()));
        }
        OUT.println();
        OUT.println("appends/s and latency over the measured window; fsyncs (segment and directory) and appends/fsync "
                + "over the whole run including warm-up; every run reopened its store and recovered every append.");
    }

    static Options parse(String[] args) {
        int seconds = 5;
        int warmup = 1;
        List<FsyncMode> modes = List.of(FsyncMode.GROUP, FsyncMode.ALWAYS, FsyncMode.NONE);
        List<Integer> appenders = List.of(1, 64);
        List<WriterKind> writers = List.of(WriterKind.BATCHING, WriterKind.LOCKED);
        int messageBytes = 100;
        Path dir = Path.of(System.getProperty("java.io.tmpdir"));
        for (int i = 0; i < args.length; i++) {
            String arg;
            String value;
            int eq = args[i].indexOf('=');
            if (eq > 0) {
                arg = args[i].substring(0, eq);
                value = args[i].substring(eq + 1);
            } else if (args[i].equals("--help") || args[i].equals("-h")) {
                throw new IllegalArgumentException("help");
            } else if (i + 1 < args.length) {
                arg = args[i];
                value = args[++i];
            } else {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            String option = arg;
            switch (arg) {
                case "--seconds" -> seconds = positive(arg, value);
                case "--warmup" -> warmup = nonNegative(arg, value);
                case "--modes" -> modes = Arrays.stream(value.split(",")).map(FsyncMode::parse).toList();
                case "--appenders" -> appenders = Arrays.stream(value.split(",")).map(v -> positive(option, v)).toList();
                case "--writers" -> writers = Arrays.stream(value.split(",")).map(WriterKind::parse).toList();
                case "--message-bytes" -> messageBytes = positive(arg, value);
                case "--dir" -> dir = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        return new Options(seconds, warmup, modes, appenders, writers, messageBytes, dir);
    }

    private static int positive(String option, String value) {
        int n = nonNegative(option, value);
        if (n == 0) {
            throw new IllegalArgumentException(option + " must be positive");
        }
        return n;
    }

    private static int nonNegative(String option, String value) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n < 0) {
                throw new IllegalArgumentException(option + " must not be negative");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes an integer, not '" + value + "'");
        }
    }

    /** {@code bytes} ASCII letters: as many UTF-8 bytes as characters. */
    private static String message(int bytes) {
        StringBuilder sb = new StringBuilder(bytes);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < bytes; i++) {
            sb.append((char) ('a' + random.nextInt(26)));
        }
        return sb.toString();
    }

    /** The store's own fsync counter (package-private in common, read reflectively); -1 when unavailable. */
    private static long fsyncCount(FileLogStore store) {
        try {
            Method count = FileLogStore.class.getDeclaredMethod("fsyncCount");
            count.setAccessible(true);
            return (long) count.invoke(store);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }

    private static String fileStoreType(Path dir) {
        try {
            return Files.getFileStore(dir).type();
        } catch (IOException e) {
            return "unknown file system";
        }
    }

    private static String name(FsyncMode mode) {
        return mode.name().toLowerCase(Locale.ROOT);
    }

    private static double micros(long nanos) {
        return nanos / 1000.0;
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
