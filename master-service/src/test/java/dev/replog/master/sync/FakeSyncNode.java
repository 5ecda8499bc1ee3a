package dev.replog.master.sync;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;

/**
 * An in-JVM stand-in for the sync-service's sequence endpoint (one node that is its own majority):
 * {@code POST /sequences/{name}/ranges {"size": N}} hands out consecutive ranges starting at 1.
 * {@code POST /locks/{name}/acquire} and {@code /release} keep leases with tokens as the sync-service
 * does (an acquire that finds the lock held answers 409 with the holder at once, without queueing).
 * {@link #down(boolean)} makes it answer 503 as a node without a majority does.
 */
public final class FakeSyncNode implements AutoCloseable {

    private static final Pattern SIZE = Pattern.compile("\"size\"\\s*:\\s*(\\d+)");

    private final Map<String, AtomicLong> sequences = new ConcurrentHashMap<>();
    private final AtomicInteger rangeRequests = new AtomicInteger();
    private final List<Long> requestedSizes = new CopyOnWriteArrayList<>();
    private volatile boolean down;
    private final DisposableServer server;
    // Its own event loop: a Spring context that closes disposes the shared reactor-netty resources.
    private final LoopResources loops = LoopResources.create("fake-sync", 1, true);

    public FakeSyncNode() {
        server = HttpServer.create().host("127.0.0.1").port(0).runOn(loops)
                .route(routes -> routes
                        .post("/sequences/{name}/ranges", (request, response) -> request.receive().aggregate()
                                .asString().defaultIfEmpty("")
                                .flatMap(body -> range(request.param("name"), body, response)))
                        .get("/sequences/{name}", (request, response) -> json(response, 200, "{\"name\":\""
                                + request.param("name") + "\",\"next\":" + next(request.param("name")) + "}"))
                        .post("/locks/{name}/acquire", (request, response) -> request.receive().aggregate()
                                .asString().defaultIfEmpty("")
                                .flatMap(body -> acquire(request.param("name"), body, response)))
                        .post("/locks/{name}/release", (request, response) -> request.receive().aggregate()
                                .asString().defaultIfEmpty("")
                                .flatMap(body -> release(request.param("name"), body, response))))
                .bindNow();
    }

    public String url() {
        return "http://127.0.0.1:" + server.port();
    }

    public void down(boolean down) {
        this.down = down;
    }

    public int rangeRequests() {
        return rangeRequests.get();
    }

    /** The sizes of the ranges handed out, in order. */
    public List<Long> requestedSizes() {
        return List.copyOf(requestedSizes);
    }

    /** The next number the sequence would hand out. */
    public long next(String name) {
        return sequences.computeIfAbsent(name, k -> new AtomicLong(1)).get();
    }

    /** Hands {@code size} numbers of the sequence to someone else, as another master's start would. */
    public void takeElsewhere(String name, long size) {
        sequences.computeIfAbsent(name, k -> new AtomicLong(1)).getAndAdd(size);
    }

    private Mono<Void> range(String name, String body, HttpServerResponse response) {
        if (down) {
            return problem(response, 503, "no majority");
        }
        Matcher matcher = SIZE.matcher(body);
        if (!matcher.find()) {
            return problem(response, 400, "no size");
        }
        long size = Long.parseLong(matcher.group(1));
        if (size < 1 || size > 1_000_000) {
            return problem(response, 400, "bad size");
        }
        rangeRequests.incrementAndGet();
        requestedSizes.add(size);
        long from = sequences.computeIfAbsent(name, k -> new AtomicLong(1)).getAndAdd(size);
        return json(response, 200, "{\"name\":\"" + name + "\",\"from\":" + from + ",\"to\":" + (from + size - 1) + "}");
    }

    /** One lock's lease: its holder, token and end (epoch millis). */
    private record Lease(String holder, long token, long expiresAt) {
    }

    private final Map<String, Lease> locks = new ConcurrentHashMap<>();
    private static final Pattern OWNER = Pattern.compile("\"owner\"\\s*:\\s*\"([^\"]*)\"");
    private static final Pattern TTL = Pattern.compile("\"ttlMs\"\\s*:\\s*(\\d+)");
    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*(\\d+)");

    private Mono<Void> acquire(String name, String body, HttpServerResponse response) {
        if (down) {
            return problem(response, 503, "no majority");
        }
        Matcher owner = OWNER.matcher(body);
        Matcher ttl = TTL.matcher(body);
        if (!owner.find() || !ttl.find()) {
            return problem(response, 400, "owner and ttlMs are required");
        }
        long now = System.currentTimeMillis();
        String who = owner.group(1);
        Lease before;
        Lease after;
        synchronized (locks) {
            before = locks.get(name);
            boolean held = before != null && before.expiresAt() > now;
            if (held && !before.holder().equals(who)) {
                after = null;
            } else {
                long token = held ? before.token() : (before == null ? 0 : before.token()) + 1;
                after = new Lease(who, token, now + Long.parseLong(ttl.group(1)));
                locks.put(name, after);
            }
        }
        if (after == null) {
            return response.status(409).header("Content-Type", "application/problem+json")
                    .sendString(Mono.just("{\"status\":409,\"title\":\"Lock held\",\"holder\":\"" + before.holder()
                            + "\",\"expiresAt\":\"" + java.time.Instant.ofEpochMilli(before.expiresAt()) + "\"}"))
                    .then();
        }
        return json(response, 200, "{\"name\":\"" + name + "\",\"owner\":\"" + who + "\",\"token\":" + after.token()
                + ",\"expiresAt\":\"" + java.time.Instant.ofEpochMilli(after.expiresAt()) + "\"}");
    }

    private Mono<Void> release(String name, String body, HttpServerResponse response) {
        if (down) {
            return problem(response, 503, "no majority");
        }
        Matcher owner = OWNER.matcher(body);
        Matcher token = TOKEN.matcher(body);
        if (!owner.find() || !token.find()) {
            return problem(response, 400, "owner and token are required");
        }
        synchronized (locks) {
            Lease lease = locks.get(name);
            if (lease == null || !lease.holder().equals(owner.group(1))
                    || lease.token() != Long.parseLong(token.group(1))) {
                return problem(response, 409, "not the holder");
            }
            locks.put(name, new Lease(lease.holder(), lease.token(), 0));
        }
        return json(response, 200, "{\"released\":true}");
    }

    /** Lock {@code name} is held by {@code owner} for {@code ttl}, as if an instance had taken it. */
    public void hold(String name, String owner, Duration ttl) {
        synchronized (locks) {
            Lease before = locks.get(name);
            locks.put(name, new Lease(owner, (before == null ? 0 : before.token()) + 1,
                    System.currentTimeMillis() + ttl.toMillis()));
        }
    }

    /** The holder of lock {@code name} while its lease lasts; null otherwise. */
    public String holder(String name) {
        Lease lease = locks.get(name);
        return lease != null && lease.expiresAt() > System.currentTimeMillis() ? lease.holder() : null;
    }

    private static Mono<Void> problem(HttpServerResponse response, int status, String detail) {
        return response.status(status).header("Content-Type", "application/problem+json")
                .sendString(Mono.just("{\"status\":" + status + ",\"detail\":\"" + detail + "\"}")).then();
    }

    private static Mono<Void> json(HttpServerResponse response, int status, String body) {
        return response.status(status).header("Content-Type", "application/json").sendString(Mono.just(body)).then();
    }

    @Override
    public void close() {
        server.disposeNow();
        // no quiet period: nothing is in flight once the server is disposed (the default waits 2 s)
        loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block();
    }
}
