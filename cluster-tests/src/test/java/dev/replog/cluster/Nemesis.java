package dev.replog.cluster;

import dev.replog.history.History;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * Injects faults into a running {@link ReplogCluster} from a seeded {@link Random}: each step picks
 * a fault, applies it, holds it for a random while, heals it and rests a little. Every step is
 * logged (on the {@link History}'s clock, so that it lines up with the operations) and counted.
 *
 * <p>The faults: kill -9 and restart of any log node (master included); SIGSTOP/SIGCONT pauses
 * longer than the master's heartbeat thresholds; random faulty-secondary modes ({@code PUT /faults});
 * a secondary's data dir wiped while it is down; a torn tail written into a secondary's last
 * segment while it is down; one sync node killed and restarted.
 *
 * <p>A restarted JVM takes seconds to boot. The nemesis does not wait for it: it goes on with
 * pauses and faulty modes on the other nodes meanwhile (so faults overlap, and the cluster may lose
 * its quorum for a while), but it lets the boot finish before it takes down another node of the
 * same kind, so at most one log node and one sync node are ever down or booting. Each seed opens with two fault
 * kinds of its own ({@link #opening(long)}), so that a few seeds can be chosen to cover every kind.
 */
final class Nemesis {

    /** The kinds of fault, with how often each is picked relative to the others. */
    enum Fault {
        KILL(3), PAUSE(3), FAULTY_MODES(3), WIPE(1), TORN_TAIL(2), KILL_SYNC(1);

        private final int weight;

        Fault(int weight) {
            this.weight = weight;
        }

        /** Whether it takes a node down, to boot again: seconds on a busy machine. */
        boolean restarts() {
            return this != PAUSE && this != FAULTY_MODES;
        }
    }

    /**
     * A fault that restarts a node is not started this close to the end: the boot would only
     * stretch the round (the nemesis ends once every node serves again).
     */
    private static final long RESTART_LEAD_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final ReplogCluster cluster;
    private final Random random;
    private final History clock;
    private final String label;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final List<String> schedule = Collections.synchronizedList(new ArrayList<>());
    private final Map<Fault, Integer> injected = Collections.synchronizedMap(new EnumMap<>(Fault.class));
    /** Nodes launched again whose boot has not been waited for yet. */
    private final Map<NodeProcess, CompletableFuture<Void>> booting = new ConcurrentHashMap<>();
    private final Deque<Fault> opening;
    private CompletableFuture<Void> running;
    private volatile long endNanos;

    Nemesis(ReplogCluster cluster, long seed, History clock, String label) {
        this.cluster = cluster;
        this.random = new Random(seed);
        this.opening = new ArrayDeque<>(opening(seed));
        this.clock = clock;
        this.label = label;
        for (Fault fault : Fault.values()) {
            injected.put(fault, 0);
        }
    }

    /** Starts injecting faults on its own thread until {@link #stop} or {@code duration} has passed. */
    Nemesis start(Duration duration) {
        endNanos = System.nanoTime() + duration.toNanos();
        running = CompletableFuture.runAsync(() -> {
            try {
                while (!stopping.get() && System.nanoTime() < endNanos) {
                    step();
                    rest(500 + random.nextInt(1_500));
                }
            } finally {
                awaitBoots(node -> true);
            }
        }, task -> {
            Thread thread = new Thread(task, "nemesis-" + label);
            thread.setDaemon(true);
            thread.start();
        });
        return this;
    }

    /** Waits for the fault in progress to be healed and stops; rethrows what went wrong in a step. */
    void awaitEnd(Duration atMost) {
        try {
            running.get(atMost.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the nemesis", e);
        } catch (ExecutionException e) {
            throw new AssertionError("the nemesis failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            stopping.set(true);
            throw new AssertionError("the nemesis did not end within " + atMost, e);
        }
    }

    void stop() {
        stopping.set(true);
    }

    /** The two kinds of fault a nemesis with {@code seed} starts with, whatever the cluster. */
    static List<Fault> opening(long seed) {
        List<Fault> kinds = new ArrayList<>(List.of(Fault.values()));
        Collections.shuffle(kinds, new Random(seed ^ 0x5DEECE66DL));
        return kinds.subList(0, 2);
    }

    /** Faults injected, by kind (every kind listed). */
    Map<Fault, Integer> injected() {
        return new LinkedHashMap<>(injected);
    }

    int total() {
        return injected.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Every step, one line each, on the history's clock. */
    List<String> schedule() {
        return List.copyOf(schedule);
    }

    private void step() {
        // An opening fault always runs, however late its turn comes (its boot may stretch the
        // round): the seeds are chosen for the kinds they open with, so skipping one would lose a
        // kind of fault from the run. A later fault that restarts a node is not started near the end.
        boolean opens = !opening.isEmpty();
        Fault fault = opens ? opening.poll() : pick();
        if (!opens && fault.restarts() && endNanos - System.nanoTime() < RESTART_LEAD_NANOS) {
            fault = random.nextBoolean() ? Fault.PAUSE : Fault.FAULTY_MODES;
        }
        if (fault == Fault.KILL_SYNC && cluster.syncNodes().isEmpty()
                || fault == Fault.FAULTY_MODES && faultySecondaries().isEmpty()) {
            return;
        }
        // one log node and one sync node down at a time: a boot ends before another of its kind goes down
        if (fault == Fault.KILL_SYNC) {
            awaitBoots(node -> node.kind() == NodeKind.SYNC);
        } else if (fault.restarts() || opens && fault == Fault.FAULTY_MODES) {
            awaitBoots(node -> node.kind() != NodeKind.SYNC); // an opening fault must find its node up
        }
        if (!opens && fault.restarts() && endNanos - System.nanoTime() < RESTART_LEAD_NANOS) {
            return; // the boot waited for took the time that was left
        }
        List<NodeProcess> up = logNodes().stream().filter(n -> !booting.containsKey(n)).toList();
        List<NodeProcess> faultyUp = faultySecondaries().stream().filter(n -> !booting.containsKey(n)).toList();
        if (fault == Fault.PAUSE && up.isEmpty() || fault == Fault.FAULTY_MODES && faultyUp.isEmpty()) {
            return;
        }
        injected.merge(fault, 1, Integer::sum);
        switch (fault) {
            case KILL -> killAndRestart(any(logNodes()));
            case PAUSE -> pause(any(up));
            case FAULTY_MODES -> faultyModes(any(faultyUp));
            case WIPE -> wipe(any(cluster.secondaries()));
            case TORN_TAIL -> tearTail(any(cluster.secondaries()));
            case KILL_SYNC -> killAndRestart(any(cluster.syncNodes()));
            default -> throw new IllegalStateException("unknown fault " + fault);
        }
    }

    /** Starts the node again without waiting for it to serve; {@link #awaitBoots} does. */
    private void relaunch(NodeProcess node, String why) {
        node.launch();
        log(node.name() + " launched again" + why);
        booting.put(node, CompletableFuture.runAsync(() -> {
            node.awaitReady();
            log(node.name() + " serves again");
        }));
    }

    /** Waits until the relaunched nodes that match serve HTTP again; rethrows a failed boot. */
    private void awaitBoots(Predicate<NodeProcess> which) {
        for (Map.Entry<NodeProcess, CompletableFuture<Void>> boot : List.copyOf(booting.entrySet())) {
            if (!which.test(boot.getKey())) {
                continue;
            }
            try {
                boot.getValue().join();
            } finally {
                booting.remove(boot.getKey());
            }
        }
    }

    private Fault pick() {
        List<Fault> possible = new ArrayList<>();
        for (Fault fault : Fault.values()) {
            boolean available = switch (fault) {
                case FAULTY_MODES -> !faultySecondaries().isEmpty();
                case KILL_SYNC -> !cluster.syncNodes().isEmpty();
                default -> true;
            };
            for (int i = 0; available && i < fault.weight; i++) {
                possible.add(fault);
            }
        }
        return possible.get(random.nextInt(possible.size()));
    }

    private void killAndRestart(NodeProcess node) {
        long downMs = 300 + random.nextInt(2_700);
        log("kill -9 " + node.name() + ", restart in " + downMs + " ms");
        node.kill();
        rest(downMs);
        relaunch(node, "");
    }

    private void pause(NodeProcess node) {
        // the master marks a node UNHEALTHY after unhealthy-after missed beats plus the beat timeout
        long pauseMs = 1_800 + random.nextInt(2_700);
        log("SIGSTOP " + node.name() + " for " + pauseMs + " ms");
        node.pause();
        rest(pauseMs);
        node.resume();
        log("SIGCONT " + node.name());
    }

    private void faultyModes(NodeProcess node) {
        Map<String, Object> settings = new LinkedHashMap<>();
        switch (random.nextInt(4)) {
            case 0 -> settings.put("down", true);
            case 1 -> settings.put("errorBeforeAppend", probability(0.1, 1.0));
            case 2 -> settings.put("errorAfterAppend", probability(0.1, 1.0));
            default -> {
                settings.put("delayMs", (long) random.nextInt(800));
                settings.put("delayJitterMs", (long) random.nextInt(800));
            }
        }
        if (random.nextInt(3) == 0) {
            settings.put("errorAfterAppend", probability(0.1, 0.5));
        }
        long holdMs = 1_000 + random.nextInt(4_000);
        log("PUT /faults " + settings + " on " + node.name() + " for " + holdMs + " ms");
        node.client().faults(settings);
        rest(holdMs);
        HttpResult reset = node.client().send("POST", "/faults/reset", null, null, Map.of(), ReplogClient.SHORT);
        if (reset.status() != 200) {
            throw new AssertionError("POST /faults/reset on " + node.name() + " answered " + reset);
        }
        log("faults reset on " + node.name());
    }

    private void wipe(NodeProcess node) {
        log("kill -9 " + node.name() + " and wipe its data dir");
        node.kill();
        node.wipeDataDir();
        rest(200 + random.nextInt(1_500));
        relaunch(node, " with an empty data dir");
    }

    private void tearTail(NodeProcess node) {
        node.kill();
        String torn = node.tearLogTail(random);
        log("kill -9 " + node.name() + ", torn tail: " + torn);
        relaunch(node, "");
    }

    private List<NodeProcess> logNodes() {
        return cluster.nodes().stream().filter(n -> n.kind() != NodeKind.SYNC).toList();
    }

    private List<NodeProcess> faultySecondaries() {
        return cluster.secondaries().stream().filter(n -> n.kind() == NodeKind.FAULTY_SECONDARY).toList();
    }

    private NodeProcess any(List<NodeProcess> nodes) {
        return nodes.get(random.nextInt(nodes.size()));
    }

    /** A probability in [min, max), two decimals. */
    private double probability(double min, double max) {
        return Math.round((min + random.nextDouble() * (max - min)) * 100) / 100.0;
    }

    private void log(String event) {
        String line = String.format("%8.3fs nemesis %s", clock.elapsedNanos() / 1e9, event);
        schedule.add(line);
        System.out.println(label + " " + line);
    }

    /** The nemesis holds a fault for a while on purpose: this is its schedule, not a wait for a condition. */
    private static void rest(long millis) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
    }
}
