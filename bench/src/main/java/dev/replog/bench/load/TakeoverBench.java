package dev.replog.bench.load;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code bin/bench takeover}: writes continuously through {@link FailoverWriters} (they follow the
 * redirect and retry with their {@code Idempotency-Key}), kills the active master with
 * {@code kill -9} {@code --kills} times, each time restarting it (it rejoins as the standby) once
 * the seconds after the takeover are observed, and prints per takeover the write-unavailability
 * window (the last acknowledgement before the kill to the first after it, across all writers), the
 * lease wait and the recovery the new master reports, and the throughput over the seconds after
 * it against the steady rate before the kill. At the end it reads the log of the active master and
 * of every secondary and counts acknowledged writes missing or at another seq, and messages held
 * twice; at {@code w >= 2} any of those fails the run (exit 1).
 *
 * <pre>
 * usage: bench takeover [--kills 5] [--clients 16] [--w 2] [--size 100] [--warmup 60s] [--steady 10s]
 *                       [--observe 30s] [--settle 5s] [--retry-delay 100ms] [--cluster own|running]
 *                       [--standby-cache keep|alternate] [--dir DIR] [--json FILE] [--label TEXT]
 * </pre>
 *
 * <p>With {@code --standby-cache alternate} each restart alternates {@code REPLOG_JVM_CACHE=off} and
 * {@code auto} (bin/cluster's warm JVMs), so that the takeovers of one run, on one machine at one
 * time, compare standbys with and without the cache; the table then sums up each kind.
 */
final class TakeoverBench {

    private static final PrintStream OUT = System.out;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** How long bin/cluster may take to start a stepped-down instance again (a JVM start on a busy machine). */
    private static final Duration RESTART_BY_SUPERVISOR = Duration.ofSeconds(30);
    private static final Duration HEALTH_POLL = Duration.ofMillis(200);
    private static final String USAGE = "usage: bench takeover [--kills 5] [--clients 16] [--w 2] [--size 100] "
            + "[--warmup 60s] [--steady 10s] [--observe 30s] [--settle 5s] [--retry-delay 100ms] "
            + "[--cluster own|running] [--standby-cache keep|alternate] [--dir DIR] [--json FILE] [--label TEXT]";

    record Options(int kills, int clients, String w, int size, Duration warmup, Duration steady, Duration observe,
            Duration settle, Duration retryDelay, boolean own, boolean alternate, Path dir, Path json, String label) {
    }

    /** One kill: who died, who took over, when (nanoTime and wall clock), what the new master reported. */
    record Kill(int number, String killed, int killedIndex, long atNanos, Instant at, String tookOver, long logSeq,
            Instant leaseTakenAt, Long tookMillis, String standby) {
        Long leaseWaitMillis() {
            return leaseTakenAt == null ? null : Duration.between(at, leaseTakenAt).toMillis();
        }
    }

    private final Options options;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private TakeoverBench(Options options) {
        this.options = options;
    }

    static void main(String[] args) throws Exception {
        System.exit(new TakeoverBench(CommandLine.parseOrExit("bench takeover", USAGE, TakeoverBench::parse, args)).run());
    }

    private int run() throws Exception {
        Path root = Path.of(System.getProperty("replog.root", ".")).toAbsolutePath().normalize();
        Path dir = options.dir() != null ? options.dir() : root.resolve(".cluster").resolve("bench-takeover");
        Files.createDirectories(dir);
        Path log = dir.resolve("bench-takeover.log");
        ClusterControl cluster = options.own() ? ClusterControl.own(root, dir.resolve("cluster"), log)
                : ClusterControl.running(root, log);
        OUT.printf(Locale.ROOT, "takeover: %d kills, %d writers at w=%s, %d-byte messages; bin/cluster output in %s%n",
                options.kills(), options.clients(), options.w(), options.size(), log);
        if (!options.own()) {
            return measure(cluster);
        }
        try (OwnCluster own = OwnCluster.start(cluster, "takeover", log)) {
            return own == null ? 1 : measure(cluster);
        }
    }

    private int measure(ClusterControl cluster) throws Exception {
        List<ClusterControl.Node> masters = cluster.nodes().stream().filter(ClusterControl.Node::isMaster).toList();
        List<ClusterControl.Node> replicas = cluster.nodes().stream().filter(ClusterControl.Node::isReplica).toList();
        if (masters.size() < 2) {
            throw new IllegalStateException("a takeover needs a standby: bin/cluster runs " + masters);
        }
        List<ClusterControl.Node> targets = new ArrayList<>(masters);
        targets.addAll(replicas);
        List<URI> urls = targets.stream().map(n -> URI.create(n.url())).toList();
        String run = "tk" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
        FailoverWriters writers = new FailoverWriters(urls, options.clients(), options.w(), options.size(),
                options.retryDelay().toMillis(), run);
        active(masters, null, Duration.ofSeconds(60));
        writers.start();
        OUT.printf(Locale.ROOT, "takeover: writing; %d s of warm-up%n", options.warmup().toSeconds());
        sleep(options.warmup());
        List<Kill> kills = new ArrayList<>();
        // how the standby that takes over next was started: the first as the whole cluster was
        String cacheEnv = System.getenv("REPLOG_JVM_CACHE");
        String standby = cacheEnv == null || cacheEnv.isBlank() ? "auto" : cacheEnv;
        int restartedAfterExit = 0;
        for (int k = 1; k <= options.kills(); k++) {
            // an instance that stepped down on its own (its lease passed while it was starved: exit 75)
            // is started again by bin/cluster; one down for another reason is started here
            for (ClusterControl.Node master : masters) {
                if (health(master).isEmpty() && !answersWithin(master, RESTART_BY_SUPERVISOR)) {
                    OUT.printf("takeover: %s is not running (it stepped down and exited?); starting it again%n",
                            master.name());
                    restartedAfterExit++;
                    cluster.run(Map.of("REPLOG_JVM_CACHE", standby), "start", "--no-build", master.name());
                }
            }
            ClusterControl.Node victim = active(masters, null, Duration.ofSeconds(60));
            sleep(options.steady());
            long atNanos = System.nanoTime();
            Instant at = Instant.now();
            cluster.kill9(victim.name());
            ClusterControl.Node next = active(masters, victim, Duration.ofSeconds(90));
            // the log it recovered: a master that takes over without state of its own fetches all of it
            long logSeq = health(next).path("lastSeq").asLong();
            // observe from the first acknowledgement it gives (a second or more after READ_WRITE)
            int nextIndex = targets.indexOf(next);
            long firstAckBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (writers.lastAck(nextIndex) <= atNanos && System.nanoTime() < firstAckBy) {
                Thread.sleep(20);
            }
            sleep(options.observe().plusSeconds(5));
            JsonNode taken = health(next).path("lastTakeover");
            Instant leaseTakenAt = taken.path("leaseTakenAt").isString()
                    ? Instant.parse(taken.path("leaseTakenAt").asString()) : null;
            Long tookMillis = taken.path("tookMillis").isNumber() ? taken.path("tookMillis").asLong() : null;
            Kill kill = new Kill(k, victim.name(), targets.indexOf(victim), atNanos, at, next.name(), logSeq,
                    leaseTakenAt, tookMillis, standby);
            kills.add(kill);
            OUT.printf(Locale.ROOT, "takeover %d: killed %s, %s took over (lease after %s ms, writes %s ms later, log "
                    + "at seq %d); restarting %s%n", k, victim.name(), next.name(), kill.leaseWaitMillis(), tookMillis,
                    logSeq, victim.name());
            Map<String, String> env = Map.of();
            if (options.alternate()) {
                standby = standby.equals("off") ? "auto" : "off";
                env = Map.of("REPLOG_JVM_CACHE", standby);
            }
            if (!cluster.run(env, "start", "--no-build", victim.name())) {
                OUT.printf("takeover: %s did not start again; see %s%n", victim.name(), cluster.stateDir());
            }
            sleep(options.settle());
        }
        writers.stop(120_000);
        if (restartedAfterExit > 0) {
            OUT.printf("takeover: %d master instances had exited between kills (a takeover nobody asked for) and were "
                    + "started again%n", restartedAfterExit);
        }
        FailoverWriters.Acks acks = writers.acks();
        List<TakeoverFigures> figures = new ArrayList<>();
        for (Kill kill : kills) {
            figures.add(TakeoverFigures.of(acks.times(), acks.nodes(), kill.killedIndex(), kill.atNanos(),
                    options.steady().toNanos(), (int) options.observe().toSeconds()));
        }
        ClusterControl.Node last = active(masters, null, Duration.ofSeconds(60));
        List<ClusterControl.Node> logNodes = new ArrayList<>(List.of(last));
        logNodes.addAll(replicas);
        AckedLogCheck.Result check = new AckedLogCheck(writers, http).check(last, logNodes, Duration.ofSeconds(120),
                OUT);
        print(kills, figures, writers, check);
        if (options.json() != null) {
            Files.writeString(options.json(), JSON.writeValueAsString(json(kills, figures, writers, check)) + "\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        boolean safe = !options.w().equals("1") ? check.lost() == 0 && check.misplaced() == 0 : true;
        return safe && check.duplicates() == 0 && check.complete() ? 0 : 1;
    }

    /**
     * The master instance that is ACTIVE and takes writes (other than {@code not}), polled every 50 ms
     * for at most {@code atMost}.
     */
    private ClusterControl.Node active(List<ClusterControl.Node> masters, ClusterControl.Node not, Duration atMost)
            throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < deadline) {
            for (ClusterControl.Node master : masters) {
                if (master.equals(not)) {
                    continue;
                }
                JsonNode health = health(master);
                if (health.path("role").asString("").equals("ACTIVE")
                        && health.path("mode").asString("").equals("READ_WRITE")) {
                    return master;
                }
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("no active master taking writes within " + atMost
                + (not == null ? "" : " after " + not.name() + " was killed"));
    }

    /** Whether {@code node} answers {@code /health} within {@code atMost} (asked every 200 ms, off Reactor's timers). */
    private boolean answersWithin(ClusterControl.Node node, Duration atMost) {
        return Boolean.TRUE.equals(Mono.fromCallable(() -> health(node))
                .subscribeOn(Schedulers.boundedElastic()) // health() blocks on its HTTP call
                .filter(health -> !health.isEmpty())
                .repeatWhenEmpty(Integer.MAX_VALUE, tries -> tries.delayElements(HEALTH_POLL))
                .map(health -> true)
                .timeout(atMost, Mono.just(false))
                .block());
    }

    private JsonNode health(ClusterControl.Node node) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(node.url() + "/health"))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? JSON.readTree(response.body()) : JSON.createObjectNode();
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }

    private void print(List<Kill> kills, List<TakeoverFigures> figures, FailoverWriters writers,
            AckedLogCheck.Result check) {
        OUT.println();
        OUT.printf(Locale.ROOT, "%-3s %-10s %-10s %-6s %9s %10s %9s %9s %9s %7s %7s %7s %8s%n", "#", "killed",
                "took over", "cache", "log seq", "window ms", "lease ms", "recov ms", "steady/s", "0-10s", "10-20s", "20-30s", "80% at");
        List<Double> windows = new ArrayList<>();
        for (int i = 0; i < kills.size(); i++) {
            Kill kill = kills.get(i);
            TakeoverFigures f = figures.get(i);
            if (f.tookOver()) {
                windows.add(f.windowMillis());
            }
            int to80 = f.secondsTo(0.8);
            OUT.printf(Locale.ROOT, "%-3d %-10s %-10s %-6s %9d %10s %9s %9s %9.0f %7s %7s %7s %8s%n", kill.number(),
                    kill.killed(), kill.tookOver(), kill.standby(), kill.logSeq(), f.tookOver() ? String.format(Locale.ROOT, "%.0f", f.windowMillis())
                            : "none", kill.leaseWaitMillis() == null ? "-" : kill.leaseWaitMillis(),
                    kill.tookMillis() == null ? "-" : kill.tookMillis(), f.steadyPerSecond(), percent(f.shareOfSteady(0, 10)),
                    percent(f.shareOfSteady(10, 20)), percent(f.shareOfSteady(20, 30)),
                    to80 < 0 ? "never" : to80 + " s");
        }
        OUT.println();
        OUT.println("writes/s in each second after the first acknowledgement from the new master:");
        for (int i = 0; i < kills.size(); i++) {
            OUT.printf(Locale.ROOT, "  %-3d %s%n", kills.get(i).number(), Arrays.toString(figures.get(i).perSecond()));
        }
        OUT.println("  median share of the steady rate by second: " + medianShares(figures));
        double[] sorted = windows.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        OUT.println();
        if (sorted.length > 0) {
            OUT.printf(Locale.ROOT, "unavailability window over %d takeovers: min %.0f ms, median %.0f ms, max %.0f ms%n",
                    sorted.length, sorted[0], median(sorted), sorted[sorted.length - 1]);
        }
        if (options.alternate()) {
            for (String kind : List.of("auto", "off")) {
                List<Integer> of = new ArrayList<>();
                for (int i = 0; i < kills.size(); i++) {
                    if (kills.get(i).standby().equals(kind) && figures.get(i).tookOver()) {
                        of.add(i);
                    }
                }
                if (of.isEmpty()) {
                    continue;
                }
                OUT.printf(Locale.ROOT, "standbys with REPLOG_JVM_CACHE=%s (%d takeovers): median window %.0f ms, "
                                + "recovery %s ms; median share of the steady rate 0-10s %s, 10-20s %s, 20-30s %s%n",
                        kind, of.size(), median(of.stream().mapToDouble(i -> figures.get(i).windowMillis()).sorted()
                                .toArray()),
                        kills.stream().filter(k -> k.standby().equals(kind) && k.tookMillis() != null)
                                .mapToLong(Kill::tookMillis).sorted().boxed().toList(),
                        percent(median(of.stream().mapToDouble(i -> figures.get(i).shareOfSteady(0, 10)).sorted()
                                .toArray())),
                        percent(median(of.stream().mapToDouble(i -> figures.get(i).shareOfSteady(10, 20)).sorted()
                                .toArray())),
                        percent(median(of.stream().mapToDouble(i -> figures.get(i).shareOfSteady(20, 30)).sorted()
                                .toArray())));
            }
        }
        OUT.printf(Locale.ROOT, "writes acknowledged: %d; answers %s%s%n", writers.acknowledged(), writers.answers(),
                writers.unexpected().isEmpty() ? "" : "; unexpected " + writers.unexpected().size() + ", first: "
                        + writers.unexpected().get(0));
        OUT.printf(Locale.ROOT, "acknowledged writes lost: %d, at another seq: %d; messages held twice: %d (%s)%n",
                check.lost(), check.misplaced(), check.duplicates(), check.summary());
    }

    private static String medianShares(List<TakeoverFigures> figures) {
        if (figures.isEmpty()) {
            return "-";
        }
        int seconds = figures.get(0).perSecond().length;
        List<String> out = new ArrayList<>();
        for (int s = 0; s < seconds; s++) {
            int second = s;
            double[] shares = figures.stream().filter(TakeoverFigures::tookOver)
                    .mapToDouble(f -> f.shareOfSteady(second, second + 1)).sorted().toArray();
            out.add(shares.length == 0 ? "-" : percent(median(shares)));
        }
        return String.join(" ", out);
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String percent(double share) {
        return Double.isNaN(share) ? "-" : String.format(Locale.ROOT, "%.0f%%", share * 100);
    }

    private Map<String, Object> json(List<Kill> kills, List<TakeoverFigures> figures, FailoverWriters writers,
            AckedLogCheck.Result check) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("label", options.label());
        out.put("at", Instant.now().toString());
        out.put("kills", options.kills());
        out.put("clients", options.clients());
        out.put("w", options.w());
        out.put("size", options.size());
        out.put("steadySeconds", options.steady().toSeconds());
        List<Map<String, Object>> each = new ArrayList<>();
        for (int i = 0; i < kills.size(); i++) {
            Kill kill = kills.get(i);
            TakeoverFigures f = figures.get(i);
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("killed", kill.killed());
            one.put("tookOver", kill.tookOver());
            one.put("logSeq", kill.logSeq());
            one.put("standbyCache", kill.standby());
            one.put("windowMs", f.tookOver() ? Math.round(f.windowMillis()) : null);
            one.put("leaseWaitMs", kill.leaseWaitMillis());
            one.put("recoveryMs", kill.tookMillis());
            one.put("steadyPerSecond", Math.round(f.steadyPerSecond()));
            one.put("perSecond", f.perSecond());
            one.put("secondsTo80", f.secondsTo(0.8));
            each.add(one);
        }
        out.put("takeovers", each);
        out.put("acknowledged", writers.acknowledged());
        out.put("answers", writers.answers());
        out.put("unexpected", writers.unexpected().size());
        out.put("lost", check.lost());
        out.put("misplaced", check.misplaced());
        out.put("duplicates", check.duplicates());
        out.put("logCheck", check.summary());
        return out;
    }

    private static void sleep(Duration duration) throws InterruptedException {
        TimeUnit.MILLISECONDS.sleep(duration.toMillis());
    }

    static Options parse(String[] args) {
        Map<String, String> values = CommandLine.values(args, List.of("kills", "clients", "w", "size", "warmup",
                "steady", "observe", "settle", "retry-delay", "cluster", "standby-cache", "dir", "json", "label"),
                List.of());
        String cluster = values.getOrDefault("cluster", "own");
        if (!cluster.equals("own") && !cluster.equals("running")) {
            throw new IllegalArgumentException("--cluster must be own or running, was " + cluster);
        }
        String standbyCache = values.getOrDefault("standby-cache", "keep");
        if (!standbyCache.equals("keep") && !standbyCache.equals("alternate")) {
            throw new IllegalArgumentException("--standby-cache must be keep or alternate, was " + standbyCache);
        }
        Duration observe = LoadBench.duration("observe", values.getOrDefault("observe", "30s"));
        if (observe.toSeconds() < 1) {
            throw new IllegalArgumentException("--observe must be at least 1s");
        }
        Duration steady = LoadBench.duration("steady", values.getOrDefault("steady", "10s"));
        if (steady.toMillis() < 1000) {
            throw new IllegalArgumentException("--steady must be at least 1s");
        }
        return new Options(LoadBench.positive("kills", values.getOrDefault("kills", "5")),
                LoadBench.positive("clients", values.getOrDefault("clients", "16")), values.getOrDefault("w", "2"),
                LoadBench.positive("size", values.getOrDefault("size", "100")),
                LoadBench.duration("warmup", values.getOrDefault("warmup", "60s")), steady, observe,
                LoadBench.duration("settle", values.getOrDefault("settle", "5s")),
                LoadBench.duration("retry-delay", values.getOrDefault("retry-delay", "100ms")), cluster.equals("own"),
                standbyCache.equals("alternate"), values.containsKey("dir") ? Path.of(values.get("dir")) : null,
                values.containsKey("json") ? Path.of(values.get("json")) : null,
                values.getOrDefault("label", "takeover"));
    }
}
