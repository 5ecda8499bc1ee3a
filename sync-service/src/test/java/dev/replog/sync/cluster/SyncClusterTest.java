package dev.replog.sync.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.replog.sync.lock.LockService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** Three sync nodes in one JVM, talking HTTP to each other; the nodes are stopped in the last tests. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SyncClusterTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final long[] SIZES = {1, 7, 13, 1000, 1250};

    private SyncCluster cluster;
    private Path root;
    private final WebClient http = WebClient.create();

    @BeforeAll
    // Deleted by stopCluster, not by JUnit: a stopped in-JVM node's last acceptor write can land
    // while the directory is deleted (see SyncCluster#wipe).
    void startCluster(@TempDir(cleanup = CleanupMode.NEVER) Path root) {
        this.root = root;
        cluster = new SyncCluster(root, 3).startAll();
        await().atMost(TIMEOUT).until(() -> List.of(1, 2, 3).stream()
                .allMatch(id -> cluster.membership(id).status() == Membership.Status.VOTING));
    }

    @AfterAll
    void stopCluster() {
        cluster.close();
        SyncCluster.deleteEventually(root);
    }

    @Test
    @Order(1)
    void badNamesSizesAndBodiesAnswer400ProblemJsonAndChangeNothing() {
        String node = cluster.url(1);
        assertProblem(post(node + "/sequences/Upper/ranges", "{\"size\": 1}"), 400);
        assertProblem(post(node + "/sequences/" + "a".repeat(65) + "/ranges", "{\"size\": 1}"), 400);
        assertProblem(post(node + "/sequences/bad/ranges", "{\"size\": 0}"), 400);
        assertProblem(post(node + "/sequences/bad/ranges", "{\"size\": 1000001}"), 400);
        assertProblem(post(node + "/sequences/bad/ranges", "{\"size\": \"many\"}"), 400);
        assertProblem(post(node + "/sequences/bad/ranges", "{}"), 400);
        assertProblem(post(node + "/sequences/bad/ranges", "{\"size\": "), 400);
        assertProblem(post(node + "/sequences/bad/ranges", "{\"size\": 1, \"size\": 1000}"), 400);
        assertProblem(post(node + "/locks/res/acquire", "{\"ttlMs\": 1000}"), 400);
        assertProblem(post(node + "/locks/res/acquire", "{\"owner\": \"a\", \"ttlMs\": 0}"), 400);
        assertProblem(post(node + "/locks/res/acquire", "{\"owner\": \"a\", \"ttlMs\": 10, \"waitMs\": -1}"), 400);
        assertProblem(post(node + "/locks/r!s/acquire", "{\"owner\": \"a\", \"ttlMs\": 10}"), 400);
        assertProblem(post(node + "/locks/res/release", "{\"owner\": \"a\"}"), 400);
        assertProblem(post(node + "/locks/res/acquire", "{\"owner\": \"a\", \"owner\": \"b\", \"ttlMs\": 10}"), 400);
        for (String operationId : List.of("", "o".repeat(129))) {
            assertProblem(post(node + "/locks/res/acquire", "{\"owner\": \"a\", \"ttlMs\": 10}",
                    headers -> headers.set(LockService.OPERATION_ID, operationId)), 400);
        }

        assertThat(get(node + "/sequences/bad").get("next").asLong()).as("nothing was taken").isEqualTo(1);
    }

    @Test
    @Order(2)
    void concurrentRangesOfMixedSizesOnAllThreeNodesNeverOverlapAndIncreasePerClient() {
        List<List<long[]>> perClient = Flux.range(0, 9)
                .flatMap(client -> Flux.range(0, 6)
                        .concatMap(i -> take(cluster.url(client % 3 + 1), "ids", SIZES[(client + i) % SIZES.length]))
                        .collectList())
                .collectList()
                .block(TIMEOUT.multipliedBy(2));

        List<long[]> all = new ArrayList<>();
        for (List<long[]> ranges : perClient) {
            for (int i = 1; i < ranges.size(); i++) {
                assertThat(ranges.get(i)[0]).as("a client's ranges increase").isGreaterThan(ranges.get(i - 1)[1]);
            }
            all.addAll(ranges);
        }
        all.sort(Comparator.comparingLong(r -> r[0]));
        for (int i = 1; i < all.size(); i++) {
            assertThat(all.get(i)[0]).as("ranges never overlap").isGreaterThan(all.get(i - 1)[1]);
        }
        long next = get(cluster.url(2) + "/sequences/ids").get("next").asLong();
        assertThat(next).as("a read sees every range taken").isGreaterThan(all.get(all.size() - 1)[1]);
    }

    @Test
    @Order(3)
    void twoOwnersNeverHoldALockAtOnceAndTokensStrictlyIncrease() {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        AtomicLong lastToken = new AtomicLong();
        List<Long> tokens = Flux.range(1, 4)
                .flatMap(owner -> Flux.range(0, 3).concatMap(round -> {
                    String node = cluster.url(owner % 3 + 1);
                    return acquire(node, "critical", "owner-" + owner, 10_000, 20_000)
                            .flatMap(grant -> {
                                maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                                long token = grant.get("token").asLong();
                                assertThat(token).as("fencing tokens increase").isGreaterThan(lastToken.get());
                                lastToken.set(token);
                                inside.decrementAndGet();
                                return release(node, "critical", "owner-" + owner, token).thenReturn(token);
                            });
                }))
                .collectList()
                .block(TIMEOUT.multipliedBy(2));

        assertThat(maxInside.get()).isEqualTo(1);
        assertThat(tokens).hasSize(12).doesNotHaveDuplicates();
    }

    @Test
    @Order(4)
    void anExpiredLeaseIsHandedToTheWaiterWithAHigherToken() {
        JsonNode first = acquire(cluster.url(1), "lease", "crashed", 700, 0).block(TIMEOUT);
        long started = System.nanoTime();
        JsonNode second = acquire(cluster.url(2), "lease", "survivor", 5_000, 10_000).block(TIMEOUT);

        assertThat(second.get("token").asLong()).isGreaterThan(first.get("token").asLong());
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("granted only once the lease expired")
                .isGreaterThanOrEqualTo(Duration.ofMillis(400));
        assertThat(release(cluster.url(1), "lease", "crashed", first.get("token").asLong())
                .map(body -> "released").onErrorResume(WebClientResponseException.class,
                        e -> Mono.just(String.valueOf(e.getStatusCode().value())))
                .block(TIMEOUT)).as("the expired holder can no longer release").isEqualTo("409");
    }

    @Test
    @Order(5)
    void waitersAreGrantedTheLockInTheOrderTheyCameIn() {
        JsonNode holder = acquire(cluster.url(1), "fifo", "holder", 20_000, 0).block(TIMEOUT);
        List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        Flux<String> waiters = Flux.range(1, 3).flatMap(w -> Mono.delay(Duration.ofMillis(600L * (w - 1)))
                .then(acquire(cluster.url(w), "fifo", "waiter-" + w, 20_000, 25_000))
                .flatMap(grant -> {
                    order.add("waiter-" + w);
                    return release(cluster.url(w), "fifo", "waiter-" + w, grant.get("token").asLong());
                })
                .thenReturn("waiter-" + w));
        Mono<Void> letGo = Mono.delay(Duration.ofMillis(2_500))
                .then(release(cluster.url(1), "fifo", "holder", holder.get("token").asLong()).then());

        Flux.merge(waiters.then(), letGo).blockLast(TIMEOUT);

        assertThat(order).containsExactly("waiter-1", "waiter-2", "waiter-3");
    }

    @Test
    @Order(6)
    void aReleaseAppliedAgainAnswersAsTheFirstDidAndAnotherOwnersTokenIsRefused() {
        JsonNode grant = acquire(cluster.url(1), "twice", "owner", 10_000, 0).block(TIMEOUT);
        long token = grant.get("token").asLong();
        release(cluster.url(1), "twice", "owner", token).block(TIMEOUT);
        assertThat(release(cluster.url(2), "twice", "owner", token).block(TIMEOUT).get("released").asBoolean())
                .as("the same release again (a retry whose first answer was lost)").isTrue();
        assertProblem(post(cluster.url(3) + "/locks/twice/release", "{\"owner\": \"other\", \"token\": " + token + "}"),
                409);
    }

    @Test
    @Order(6)
    void aCopyOfAnAcquireDecidedAfterTheReleaseGrantsNothing() {
        // what a forwarded acquire that also ran on the forwarding node leaves: two copies, one operation id
        long token = acquire(cluster.url(1), "copied", "owner", 10_000, 0, "op-1").block(TIMEOUT).get("token").asLong();
        assertThat(acquire(cluster.url(2), "copied", "owner", 10_000, 0, "op-1").block(TIMEOUT).get("token").asLong())
                .as("a copy decided while the lease lasts answers that grant").isEqualTo(token);
        release(cluster.url(1), "copied", "owner", token).block(TIMEOUT);

        assertThatThrownBy(() -> acquire(cluster.url(3), "copied", "owner", 10_000, 0, "op-1").block(TIMEOUT))
                .as("a copy decided after the release")
                .isInstanceOfSatisfying(WebClientResponseException.class,
                        refused -> assertThat(refused.getStatusCode().value()).isEqualTo(409));
        assertThat(acquire(cluster.url(1), "copied", "other", 10_000, 0).block(TIMEOUT).get("token").asLong())
                .as("the lock stayed free: another owner gets it at once").isEqualTo(token + 1);
    }

    @Test
    @Order(7)
    void anOperationSentToAnotherNodeThanTheKeysPreferredOneIsCarriedOutOnce() {
        int preferred = PreferredNodeFilter.preferredNode("seq.once", 3);
        String other = cluster.url(preferred % 3 + 1);
        double grantedByOther = metric(other, "replog_sync_ranges_granted_total");

        long[] previous = take(other, "once", 1).block(TIMEOUT);
        for (int i = 0; i < 5; i++) {
            long[] next = take(other, "once", 1).block(TIMEOUT);
            assertThat(next[0]).as("the range after %s, with no range taken in between", previous[1])
                    .isEqualTo(previous[1] + 1);
            previous = next;
        }
        long last = previous[1];
        await().during(Duration.ofMillis(500)).atMost(TIMEOUT)
                .until(() -> get(other + "/sequences/once").get("next").asLong() == last + 1);
        assertThat(metric(other, "replog_sync_ranges_granted_total")).as("the forwarding node took no range itself")
                .isEqualTo(grantedByOther);
    }

    @Test
    @Order(8)
    void domainMetricsOfRoundsRangesAndLocksAreOnThePrometheusEndpoint() {
        int seqNode = PreferredNodeFilter.preferredNode("seq.metered", 3);
        String proposer = cluster.url(seqNode);
        String other = cluster.url(seqNode % 3 + 1);
        double rangesBefore = metric(proposer, "replog_sync_ranges_granted_total");
        double idsBefore = metric(proposer, "replog_sync_ids_granted_total");
        double roundsBefore = metric(proposer, "replog_sync_rounds_total{outcome=\"decided\"");
        double forwardedBefore = metric(other, "replog_sync_forwarded_total{outcome=\"relayed\"");
        int lockNode = PreferredNodeFilter.preferredNode("lock.metered", 3);
        double grantsBefore = metric(cluster.url(lockNode), "replog_sync_lock_grants_total{kind=\"new\"");

        take(other, "metered", 13).block(TIMEOUT);
        JsonNode grant = acquire(cluster.url(1), "metered", "owner", 5_000, 0).block(TIMEOUT);
        release(cluster.url(1), "metered", "owner", grant.get("token").asLong()).block(TIMEOUT);

        assertThat(metric(other, "replog_sync_forwarded_total{outcome=\"relayed\"")).as("forwarded to sync-%d", seqNode)
                .isEqualTo(forwardedBefore + 1);
        assertThat(metric(proposer, "replog_sync_ranges_granted_total")).isEqualTo(rangesBefore + 1);
        assertThat(metric(proposer, "replog_sync_ids_granted_total")).isEqualTo(idsBefore + 13);
        assertThat(metric(proposer, "replog_sync_rounds_total{outcome=\"decided\"")).isGreaterThan(roundsBefore);
        assertThat(metric(cluster.url(lockNode), "replog_sync_lock_grants_total{kind=\"new\""))
                .as("granted by the lock's preferred node sync-%d", lockNode).isEqualTo(grantsBefore + 1);
        assertThat(metric(proposer, "replog_sync_round_latency_seconds_count")).isPositive();
        assertThat(scrape(proposer)).contains("replog_sync_retries_total", "replog_sync_round_changes_count",
                "replog_sync_rounds_total{node=\"sync-" + seqNode + "\",outcome=\"conflict\"}");
    }

    @Test
    @Order(8)
    void actuatorInfoTellsTheVersionAndTheBuild() {
        JsonNode info = get(cluster.url(1) + "/actuator/info");
        assertThat(info.path("build").path("version").asString()).isNotEmpty();
        assertThat(info.path("build").path("artifact").asString()).isEqualTo("sync-service");
    }

    @Test
    @Order(9)
    void aWipedNodeReJoinsFromItsPeersAndHandsOutNoDuplicate() {
        long before = take(cluster.url(3), "wipe", 13).block(TIMEOUT)[1];
        cluster.stop(3);
        cluster.wipe(3);
        long during = take(cluster.url(1), "wipe", 7).block(TIMEOUT)[1];
        assertThat(during).isGreaterThan(before);

        cluster.start(3);
        await().atMost(TIMEOUT).until(() -> cluster.membership(3).status() == Membership.Status.VOTING);
        cluster.stop(1);

        long[] after = take(cluster.url(3), "wipe", 1000).block(TIMEOUT);
        assertThat(after[0]).as("the re-joined node and one other still form a majority that remembers")
                .isGreaterThan(during);
        assertThat(take(cluster.url(2), "ids", 1).block(TIMEOUT)[0]).isPositive();
    }

    @Test
    @Order(10)
    void withoutAMajorityAnOperationAnswers503() {
        cluster.stop(2);
        assertProblem(post(cluster.url(3) + "/sequences/ids/ranges", "{\"size\": 1}"), 503);
    }

    private String scrape(String node) {
        return http.get().uri(node + "/actuator/prometheus").retrieve().bodyToMono(String.class).block(TIMEOUT);
    }

    /** The value of the first sample whose name (and leading labels) start with {@code prefix}; 0 if none. */
    private double metric(String node, String prefix) {
        String name = prefix.contains("{") ? prefix.substring(0, prefix.indexOf('{')) : prefix;
        String labels = prefix.contains("{") ? prefix.substring(prefix.indexOf('{') + 1) : "";
        return scrape(node).lines()
                .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .filter(line -> line.contains(labels))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElse(0);
    }

    private Mono<long[]> take(String node, String name, long size) {
        return http.post().uri(node + "/sequences/{name}/ranges", name).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("size", size)).retrieve()
                .onStatus(status -> status.isError(), response -> response.bodyToMono(String.class)
                        .map(body -> new AssertionError("range of " + size + " from " + node + ": "
                                + response.statusCode() + " " + body)))
                .bodyToMono(JsonNode.class)
                .map(body -> {
                    long from = body.get("from").asLong();
                    long to = body.get("to").asLong();
                    assertThat(to - from + 1).isEqualTo(size);
                    return new long[] {from, to};
                });
    }

    private Mono<JsonNode> acquire(String node, String lock, String owner, long ttlMs, long waitMs) {
        return acquire(node, lock, owner, ttlMs, waitMs, null);
    }

    private Mono<JsonNode> acquire(String node, String lock, String owner, long ttlMs, long waitMs,
            String operationId) {
        return http.post().uri(node + "/locks/{name}/acquire", lock).contentType(MediaType.APPLICATION_JSON)
                .headers(headers -> {
                    if (operationId != null) {
                        headers.set(LockService.OPERATION_ID, operationId);
                    }
                })
                .bodyValue(Map.of("owner", owner, "ttlMs", ttlMs, "waitMs", waitMs))
                .retrieve().onStatus(status -> status.isError(), SyncClusterTest::withBody).bodyToMono(JsonNode.class);
    }

    private Mono<JsonNode> release(String node, String lock, String owner, long token) {
        return http.post().uri(node + "/locks/{name}/release", lock).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("owner", owner, "token", token))
                .retrieve().onStatus(status -> status.isError(), SyncClusterTest::withBody).bodyToMono(JsonNode.class);
    }

    /** The error as WebClient raises it, with the problem's body in its message. */
    private static Mono<Throwable> withBody(org.springframework.web.reactive.function.client.ClientResponse response) {
        return response.createException().map(e -> new WebClientResponseException(
                e.getMessage() + ": " + e.getResponseBodyAsString(), e.getStatusCode().value(), e.getStatusText(),
                e.getHeaders(), e.getResponseBodyAsByteArray(), null));
    }

    private JsonNode get(String url) {
        return http.get().uri(url).retrieve().bodyToMono(JsonNode.class).block(TIMEOUT);
    }

    /** The status and content type of a POST. */
    private Mono<String[]> post(String url, String body) {
        return post(url, body, headers -> { });
    }

    /** The status and content type of a POST with the headers {@code extra} sets. */
    private Mono<String[]> post(String url, String body, Consumer<HttpHeaders> extra) {
        return http.post().uri(url).contentType(MediaType.APPLICATION_JSON).headers(extra).bodyValue(body)
                .exchangeToMono(response -> response.bodyToMono(String.class).defaultIfEmpty("")
                        .map(text -> new String[] {String.valueOf(response.statusCode().value()),
                                String.valueOf(response.headers().contentType().orElse(null)), text}));
    }

    private static void assertProblem(Mono<String[]> answer, int status) {
        String[] response = answer.block(TIMEOUT);
        assertThat(response[0]).as(response[2]).isEqualTo(String.valueOf(status));
        assertThat(response[1]).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        assertThat(response[2]).contains("\"detail\"");
    }
}
