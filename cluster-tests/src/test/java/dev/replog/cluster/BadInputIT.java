package dev.replog.cluster;

import static dev.replog.cluster.fixture.LogChecks.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.replog.cluster.fixture.ClusterExtension;
import dev.replog.cluster.fixture.HttpResult;
import dev.replog.cluster.fixture.LogEntry;
import dev.replog.cluster.fixture.NodeKind;
import dev.replog.cluster.fixture.NodeProcess;
import dev.replog.cluster.fixture.ReplogClient;
import dev.replog.cluster.fixture.ReplogCluster;
import dev.replog.cluster.fixture.Written;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * The bad-input catalogue: malformed, hostile and edge requests to every public and internal
 * endpoint of every kind of node (master, secondary, faulty-secondary, sync node), each answered
 * with its documented status (a 4xx problem+json, or the documented answer of a refused protocol
 * step), after which every node is still up and no node's state changed: the logs and replication
 * watermarks of master and replicas, the faults in force, the sync nodes' acceptor keys.
 *
 * <p>One cluster (master, secondary, faulty-secondary, three sync nodes, with a cluster secret)
 * serves the whole class. Valid edge input (unicode, NUL, exactly the size limit) must round-trip
 * byte for byte; slow bodies must hang neither the node nor its other clients.
 */
@ExtendWith(ClusterExtension.class)
@DisplayName("Bad input catalogue")
class BadInputIT {

    private static final String JSON = "application/json";
    private static final String APPEND = "/replication/append";
    private static final int MIB = 1024 * 1024;
    private static final String TWO_MIB = "x".repeat(2 * MIB);
    /** A valid sequence name no row may create (a row that did would show as a new acceptor key). */
    private static final String UNUSED = "catalogue";

    private static ReplogCluster cluster;
    /** The epoch the secondaries follow (the master's), and the first entry of their log. */
    private static long epoch;
    private static long firstId;

    @BeforeAll
    static void startCluster() {
        cluster = ReplogCluster.standard(BadInputIT.class)
                .syncNodes(3)
                .start();
        if (cluster.client().health().path("epoch").asLong() < 2) {
            // a new master: restart it once, so that a batch of an older master's epoch exists
            cluster.master().restart();
            cluster.awaitReadWrite();
        }
        // Something in the log, so that "unchanged" has content to compare.
        Written first = Written.created(cluster.client().write("already-there", 3), 3, 3);
        firstId = first.id();
        epoch = cluster.node(ReplogCluster.SECONDARY).client().replicationStatus().path("epoch").asLong();
        assertThat(epoch).as("epoch the secondaries follow").isGreaterThanOrEqualTo(2);
    }

    /** One request to one node and the status it must get. */
    record Probe(String node, String method, String path, byte[] body, String contentType,
            Map<String, String> headers, boolean outsider, int status) {

        static Probe post(String node, String path, String body, int status) {
            return new Probe(node, "POST", path, utf8(body), JSON, Map.of(), false, status);
        }

        static Probe put(String node, String path, String body, int status) {
            return new Probe(node, "PUT", path, utf8(body), JSON, Map.of(), false, status);
        }

        static Probe get(String node, String path, int status) {
            return new Probe(node, "GET", path, null, null, Map.of(), false, status);
        }

        static Probe call(String node, String method, String path, int status) {
            return new Probe(node, method, path, null, null, Map.of(), false, status);
        }

        Probe withContentType(String type) {
            return new Probe(node, method, path, body, type, headers, outsider, status);
        }

        Probe withBody(byte[] raw) {
            return new Probe(node, method, path, raw, contentType, headers, outsider, status);
        }

        Probe withHeader(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Probe(node, method, path, body, contentType, more, outsider, status);
        }

        /** Sent without the cluster secret, as by someone outside the cluster. */
        Probe asOutsider() {
            return new Probe(node, method, path, body, contentType, headers, true, status);
        }

        HttpResult send() {
            ReplogClient client = cluster.node(node).client();
            return (outsider ? client.withoutSecret() : client)
                    .sendBytes(method, path, body, contentType, headers, ReplogClient.SHORT);
        }

        @Override
        public String toString() {
            return node + ": " + method + " " + (path.length() > 60 ? path.substring(0, 60) + "..." : path)
                    + " → " + status;
        }
    }

    // ---- the catalogue ----------------------------------------------------------------------

    static Stream<Arguments> catalogue() {
        return Stream.of(masterRows(), secondaryRows(), appendRows(), faultRows(), syncRows())
                .flatMap(rows -> rows);
    }

    static Stream<Arguments> masterRows() {
        String m = ReplogCluster.MASTER;
        return Stream.of(
                row("truncated JSON", Probe.post(m, "/messages", "{\"message\": \"x\"", 400)),
                row("trailing garbage after the object", Probe.post(m, "/messages", "{\"message\": \"x\"} {}", 400)),
                row("JSON array body", Probe.post(m, "/messages", "[\"x\"]", 400)),
                row("JSON null body", Probe.post(m, "/messages", "null", 400)),
                row("empty object", Probe.post(m, "/messages", "{}", 400)),
                row("empty body", Probe.post(m, "/messages", "", 400)),
                row("nesting 100000 deep", Probe.post(m, "/messages", "{\"message\": " + "[".repeat(100_000)
                        + "]".repeat(100_000) + "}", 400)),
                row("message is a number", Probe.post(m, "/messages", "{\"message\": 5}", 400)),
                row("message is an object", Probe.post(m, "/messages", "{\"message\": {\"a\": 1}}", 400)),
                row("message is null", Probe.post(m, "/messages", "{\"message\": null}", 400)),
                row("unknown field", Probe.post(m, "/messages", "{\"message\": \"x\", \"priority\": 1}", 400)),
                row("w is a boolean", Probe.post(m, "/messages", "{\"message\": \"x\", \"w\": true}", 400)),
                row("w is 1.5", Probe.post(m, "/messages", "{\"message\": \"x\", \"w\": 1.5}", 400)),
                row("w = 0", Probe.post(m, "/messages", "{\"message\": \"x\", \"w\": 0}", 400)),
                row("w = -1", Probe.post(m, "/messages", "{\"message\": \"x\", \"w\": -1}", 400)),
                row("w = n+1 = 4", Probe.post(m, "/messages", "{\"message\": \"x\", \"w\": 4}", 400)),
                row("w = 2^64 (overflows long)", Probe.post(m, "/messages",
                        "{\"message\": \"x\", \"w\": 18446744073709551616}", 400)),
                row("w = 1e400 (overflows double)", Probe.post(m, "/messages", "{\"message\": \"x\", \"w\": 1e400}", 400)),
                row("w = \"most\"", Probe.post(m, "/messages", "{\"message\": \"x\", \"w\": \"most\"}", 400)),
                row("w given twice", Probe.post(m, "/messages", "{\"message\": \"x\", \"w\": 1, \"w\": 3}", 400)),
                row("message given twice", Probe.post(m, "/messages", "{\"message\": \"a\", \"message\": \"b\"}", 400)),
                row("w = \" 2\" (padded)", Probe.post(m, "/messages", "{\"message\": \"x\", \"w\": \" 2\"}", 400)),
                row("w = \"majority \" (padded)", Probe.post(m, "/messages", "{\"message\": \"x\", \"w\": \"majority \"}", 400)),
                row("query w=%202 (padded)", Probe.post(m, "/messages?w=%202", "{\"message\": \"x\"}", 400)),
                row("query w=4", Probe.post(m, "/messages?w=4", "{\"message\": \"x\"}", 400)),
                row("body w=1 and query w=2 disagree", Probe.post(m, "/messages?w=2", "{\"message\": \"x\", \"w\": 1}", 400)),
                row("timeoutMs = -1", Probe.post(m, "/messages", "{\"message\": \"x\", \"timeoutMs\": -1}", 400)),
                row("timeoutMs = 2^63 (overflows long)", Probe.post(m, "/messages",
                        "{\"message\": \"x\", \"timeoutMs\": 9223372036854775808}", 400)),
                row("query timeoutMs=x", Probe.post(m, "/messages?timeoutMs=x", "{\"message\": \"x\"}", 400)),
                row("2 MiB message", Probe.post(m, "/messages", "{\"message\": \"" + TWO_MIB + "\"}", 413)),
                row("10 MiB body", Probe.post(m, "/messages", "{\"message\": \"" + "y".repeat(10 * MIB) + "\"}", 413)),
                row("invalid UTF-8 in the body", Probe.post(m, "/messages", "", 400).withBody(new byte[] {
                        '{', '"', 'm', 'e', 's', 's', 'a', 'g', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'})),
                row("lone UTF-16 surrogate escape", Probe.post(m, "/messages", "{\"message\": \"a\\ud800b\"}", 400)),
                row("text/plain content type", Probe.post(m, "/messages", "hello", 415).withContentType("text/plain")),
                row("no content type", Probe.post(m, "/messages", "{\"message\": \"x\"}", 415).withContentType(null)),
                row("Idempotency-Key of 129 characters", Probe.post(m, "/messages", "{\"message\": \"x\"}", 400)
                        .withHeader("Idempotency-Key", "k".repeat(129))),
                row("PUT /messages", Probe.put(m, "/messages", "{\"message\": \"x\"}", 405)),
                row("DELETE /messages/1", Probe.call(m, "DELETE", "/messages/1", 405)),
                row("POST /health", Probe.post(m, "/health", "{}", 405)),
                row("unknown seq", Probe.get(m, "/messages/999999", 404)),
                row("seq = Long.MAX_VALUE", Probe.get(m, "/messages/9223372036854775807", 404)),
                row("seq = 2^63 (overflows long)", Probe.get(m, "/messages/9223372036854775808", 400)),
                row("non-numeric seq", Probe.get(m, "/messages/abc", 400)),
                row("seq 1.5", Probe.get(m, "/messages/1.5", 400)),
                row("seq 0", Probe.get(m, "/messages/0", 400)),
                row("negative seq", Probe.get(m, "/messages/-1", 400)),
                row("non-numeric from", Probe.get(m, "/messages?from=abc", 400)),
                row("from overflows long", Probe.get(m, "/messages?from=99999999999999999999", 400)),
                row("negative limit", Probe.get(m, "/messages?limit=-1", 400)),
                row("stream from=abc", Probe.get(m, "/messages/stream?from=abc", 400)),
                row("stream Last-Event-ID: -5", Probe.get(m, "/messages/stream", 400)
                        .withHeader("Last-Event-ID", "-5")));
    }

    static Stream<Arguments> secondaryRows() {
        String s = ReplogCluster.SECONDARY;
        return Stream.of(
                row("POST /messages on a replica: redirected to the master", Probe.post(s, "/messages", "{\"message\": \"x\"}", 307)),
                row("non-numeric seq", Probe.get(s, "/messages/abc", 400)),
                row("seq overflows long", Probe.get(s, "/messages/99999999999999999999", 400)),
                row("unknown seq", Probe.get(s, "/messages/999999", 404)),
                row("negative from", Probe.get(s, "/messages?from=-5", 400)),
                row("stream from=-1", Probe.get(s, "/messages/stream?from=-1", 400)),
                row("GET /replication/append", Probe.get(s, APPEND, 405)),
                row("status without the secret", Probe.get(s, "/replication/status", 401).asOutsider()),
                row("status with a wrong secret", Probe.get(s, "/replication/status", 401)
                        .withHeader(ReplogClient.SECRET_HEADER, "not-the-secret")),
                row("recovery read without the secret", Probe.get(s, "/replication/entries", 401).asOutsider()),
                row("recovery read from=abc", Probe.get(s, "/replication/entries?from=abc", 400)),
                row("recovery read limit over 10000", Probe.get(s, "/replication/entries?limit=10001", 400)));
    }

    /** Appends: the internal endpoint, sent with the cluster secret unless a row says otherwise. */
    static Stream<Arguments> appendRows() {
        String s = ReplogCluster.SECONDARY;
        String one = "[{\"seq\": 1, \"id\": 1, \"message\": \"a\"}]";
        return Stream.of(
                row("append without the secret", Probe.post(s, APPEND, appendBody(0, 0, one), 401).asOutsider()),
                row("append with a wrong secret", Probe.post(s, APPEND, appendBody(0, 0, one), 401)
                        .withHeader(ReplogClient.SECRET_HEADER, "not-the-secret")),
                row("append to /Replication;x=1/append without the secret",
                        Probe.post(s, "/Replication;x=1/append", appendBody(0, 0, one), 401).asOutsider()),
                row("append to //replication/append without the secret",
                        Probe.post(s, "//replication/append", appendBody(0, 0, one), 401).asOutsider()),
                row("faulty-secondary: append without the secret",
                        Probe.post(ReplogCluster.FAULTY_SECONDARY, APPEND, appendBody(0, 0, one), 401).asOutsider()),
                row("truncated JSON", Probe.post(s, APPEND, "{\"epoch\": 1,", 400)),
                row("nesting 100000 deep", Probe.post(s, APPEND, "{\"epoch\": " + "[".repeat(100_000)
                        + "]".repeat(100_000) + "}", 400)),
                row("epoch is a string", Probe.post(s, APPEND, "{\"epoch\": \"one\", \"prevSeq\": 0, \"prevId\": 0, "
                        + "\"entries\": " + one + "}", 400)),
                row("epoch 0", Probe.post(s, APPEND, "{\"epoch\": 0, \"prevSeq\": 0, \"prevId\": 0, \"entries\": "
                        + one + "}", 400)),
                row("stale epoch (an older master)", Probe.post(s, APPEND, "{\"epoch\": 1, \"prevSeq\": 0, "
                        + "\"prevId\": 0, \"entries\": " + one + "}", 409)),
                row("batch that skips a seq", Probe.post(s, APPEND, appendBody(1, -1, "[{\"seq\": 2, \"id\": 1000000001, "
                        + "\"message\": \"a\"}, {\"seq\": 4, \"id\": 1000000002, \"message\": \"c\"}]"), 400)),
                row("batch that does not start after prevSeq", Probe.post(s, APPEND, appendBody(1, -1,
                        "[{\"seq\": 3, \"id\": 1000000001, \"message\": \"a\"}]"), 400)),
                row("ids not increasing", Probe.post(s, APPEND, appendBody(1, -1, "[{\"seq\": 2, \"id\": 1000000005, "
                        + "\"message\": \"a\"}, {\"seq\": 3, \"id\": 1000000005, \"message\": \"b\"}]"), 400)),
                row("keys naming a seq outside the batch", Probe.post(s, APPEND, withKeys(appendBody(1, -1,
                        "[{\"seq\": 2, \"id\": 1000000001, \"message\": \"a\"}]"), "{\"9\": \"k\"}"), 400)),
                row("a key of 129 characters", Probe.post(s, APPEND, withKeys(appendBody(1, -1,
                        "[{\"seq\": 2, \"id\": 1000000001, \"message\": \"a\"}]"), "{\"2\": \"" + "k".repeat(129) + "\"}"),
                        400)),
                row("a null key", Probe.post(s, APPEND, withKeys(appendBody(1, -1,
                        "[{\"seq\": 2, \"id\": 1000000001, \"message\": \"a\"}]"), "{\"2\": null}"), 400)),
                row("keys naming a seq that is not a number", Probe.post(s, APPEND, withKeys(appendBody(1, -1,
                        "[{\"seq\": 2, \"id\": 1000000001, \"message\": \"a\"}]"), "{\"two\": \"k\"}"), 400)),
                row("keys not an object", Probe.post(s, APPEND, withKeys(appendBody(1, -1,
                        "[{\"seq\": 2, \"id\": 1000000001, \"message\": \"a\"}]"), "[\"k\"]"), 400)),
                row("prevId that is not the log's (mismatch)", Probe.post(s, APPEND, appendBody(1, 1,
                        "[{\"seq\": 2, \"id\": 1000000001, \"message\": \"a\"}]"), 409)),
                row("negative seq", Probe.post(s, APPEND, appendBody(0, 0,
                        "[{\"seq\": -1, \"id\": 1, \"message\": \"a\"}]"), 400)),
                row("seq overflows long", Probe.post(s, APPEND, appendBody(0, 0,
                        "[{\"seq\": 9223372036854775808, \"id\": 1, \"message\": \"a\"}]"), 400)),
                row("entry without message", Probe.post(s, APPEND, appendBody(1, -1,
                        "[{\"seq\": 2, \"id\": 1000000001}]"), 400)),
                row("message given twice in an entry", Probe.post(s, APPEND, appendBody(1, -1,
                        "[{\"seq\": 2, \"id\": 1000000001, \"message\": \"a\", \"message\": \"b\"}]"), 400)),
                row("10 MiB message in an entry", Probe.post(s, APPEND, appendBody(1, -1,
                        "[{\"seq\": 2, \"id\": 1000000001, \"message\": \"" + "z".repeat(10 * MIB) + "\"}]"), 413)),
                row("invalid UTF-8 in a message", Probe.post(s, APPEND, "", 400).withBody(concat(
                        appendBody(1, -1, "[{\"seq\": 2, \"id\": 1000000001, \"message\": \"").replace("]}", ""),
                        new byte[] {(byte) 0xE2, (byte) 0x28, (byte) 0xA1}, "\"}]}"))),
                row("lone UTF-16 surrogate in a message", Probe.post(s, APPEND, appendBody(1, -1,
                        "[{\"seq\": 2, \"id\": 1000000001, \"message\": \"\\udfff\"}]"), 400)),
                row("text/plain content type", Probe.post(s, APPEND, appendBody(0, 0, one), 415)
                        .withContentType("text/plain")));
    }

    static Stream<Arguments> faultRows() {
        String f = ReplogCluster.FAULTY_SECONDARY;
        return Stream.of(
                row("unknown field", Probe.put(f, "/faults", "{\"explode\": true}", 400)),
                row("probability above 1", Probe.put(f, "/faults", "{\"errorBeforeAppend\": 2}", 400)),
                row("negative delay", Probe.put(f, "/faults", "{\"delayMs\": -1}", 400)),
                row("delay overflows long", Probe.put(f, "/faults", "{\"delayMs\": 99999999999999999999}", 400)),
                row("down is a string", Probe.put(f, "/faults", "{\"down\": \"yes\"}", 400)),
                row("down given twice", Probe.put(f, "/faults", "{\"down\": false, \"down\": true}", 400)),
                row("array body", Probe.put(f, "/faults", "[]", 400)),
                row("truncated JSON", Probe.put(f, "/faults", "{\"down\": tr", 400)),
                row("text/plain content type", Probe.put(f, "/faults", "down", 415).withContentType("text/plain")),
                row("DELETE /faults", Probe.call(f, "DELETE", "/faults", 405)),
                row("GET /faults/reset", Probe.get(f, "/faults/reset", 405)));
    }

    static Stream<Arguments> syncRows() {
        String y = "sync-1";
        String ranges = "/sequences/" + UNUSED + "/ranges";
        String acquire = "/locks/" + UNUSED + "/acquire";
        String prepare = "{\"key\": \"seq." + UNUSED + "\", \"ballot\": {\"counter\": 1, \"nodeId\": 2}}";
        return Stream.of(
                row("range: truncated JSON", Probe.post(y, ranges, "{\"size\": 1", 400)),
                row("range: size missing", Probe.post(y, ranges, "{}", 400)),
                row("range: size 0", Probe.post(y, ranges, "{\"size\": 0}", 400)),
                row("range: size -1", Probe.post(y, ranges, "{\"size\": -1}", 400)),
                row("range: size overflows long", Probe.post(y, ranges, "{\"size\": 99999999999999999999}", 400)),
                row("range: size is a string", Probe.post(y, ranges, "{\"size\": \"ten\"}", 400)),
                row("range: size given twice", Probe.post(y, ranges, "{\"size\": 1, \"size\": 2}", 400)),
                row("range: upper-case name", Probe.post(y, "/sequences/ABC/ranges", "{\"size\": 1}", 400)),
                row("range: name of 65 characters", Probe.post(y, "/sequences/" + "n".repeat(65) + "/ranges",
                        "{\"size\": 1}", 400)),
                row("read: name with a NUL", Probe.get(y, "/sequences/a%00b", 400)),
                row("DELETE a sequence", Probe.call(y, "DELETE", "/sequences/" + UNUSED, 405)),
                row("lock: owner missing", Probe.post(y, acquire, "{\"ttlMs\": 1000}", 400)),
                row("lock: owner of 129 characters", Probe.post(y, acquire, "{\"owner\": \"" + "o".repeat(129)
                        + "\", \"ttlMs\": 1000}", 400)),
                row("lock: ttlMs 0", Probe.post(y, acquire, "{\"owner\": \"me\", \"ttlMs\": 0}", 400)),
                row("lock: waitMs above the limit", Probe.post(y, acquire, "{\"owner\": \"me\", \"ttlMs\": 1000, "
                        + "\"waitMs\": 1000000000}", 400)),
                row("lock: release with token 0", Probe.post(y, "/locks/" + UNUSED + "/release",
                        "{\"owner\": \"me\", \"token\": 0}", 400)),
                row("paxos prepare without the secret", Probe.post(y, "/paxos/prepare", prepare, 401).asOutsider()),
                row("paxos accept with a wrong secret", Probe.post(y, "/paxos/accept", "{\"key\": \"seq." + UNUSED
                        + "\", \"ballot\": {\"counter\": 1, \"nodeId\": 2}, \"value\": {\"next\": 1}}", 401)
                        .withHeader(ReplogClient.SECRET_HEADER, "not-the-secret")),
                row("paxos keys without the secret", Probe.get(y, "/paxos/keys", 401).asOutsider()),
                row("paxos prepare: invalid key", Probe.post(y, "/paxos/prepare", "{\"key\": \"../../etc/passwd\", "
                        + "\"ballot\": {\"counter\": 1, \"nodeId\": 2}}", 400)),
                row("paxos prepare: ballot missing", Probe.post(y, "/paxos/prepare", "{\"key\": \"seq." + UNUSED
                        + "\"}", 400)),
                row("GET /paxos/prepare", Probe.get(y, "/paxos/prepare", 405)));
    }

    /** An append body of the current epoch after the given seq ({@code prevId} -1: the log's own id there). */
    private static String appendBody(long prevSeq, long prevId, String entries) {
        long id = prevId == -1 ? (prevSeq == 1 ? firstId : 0) : prevId;
        return "{\"epoch\": " + Math.max(epoch, 1) + ", \"prevSeq\": " + prevSeq + ", \"prevId\": " + id
                + ", \"entries\": " + entries + "}";
    }

    /** An append body with {@code keys} (JSON) added. */
    private static String withKeys(String appendBody, String keys) {
        return appendBody.substring(0, appendBody.length() - 1) + ", \"keys\": " + keys + "}";
    }

    private static byte[] concat(String head, byte[] middle, String tail) {
        byte[] start = utf8(head);
        byte[] end = utf8(tail);
        byte[] all = new byte[start.length + middle.length + end.length];
        System.arraycopy(start, 0, all, 0, start.length);
        System.arraycopy(middle, 0, all, start.length, middle.length);
        System.arraycopy(end, 0, all, start.length + middle.length, end.length);
        return all;
    }

    private static Arguments row(String name, Probe probe) {
        return Arguments.of(name, probe);
    }

    private static byte[] utf8(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("catalogue")
    @DisplayName("bad input gets its documented status, every node stays up and nothing changes")
    void badInputChangesNothing(String name, Probe probe) {
        Map<String, String> before = stateOfEveryNode();

        HttpResult result = probe.send();

        assertProblem(result, probe.status());
        assertThat(stateOfEveryNode()).as("every node's state after %s", name).isEqualTo(before);
    }

    @Test
    @DisplayName("the catalogue has more than 100 rows and covers every kind of node")
    void catalogueCoversEveryNode() {
        List<Probe> probes = catalogue().map(args -> (Probe) args.get()[1]).toList();
        assertThat(probes).as("rows (the issue asks for 40, the README says more than 100)").hasSizeGreaterThan(100);
        assertThat(probes).extracting(Probe::node)
                .contains(ReplogCluster.MASTER, ReplogCluster.SECONDARY, ReplogCluster.FAULTY_SECONDARY, "sync-1");
    }

    /**
     * What must not change: each log and replication status, the faults in force, each sync node's
     * acceptor keys; reading them also shows that every node is up.
     */
    private static Map<String, String> stateOfEveryNode() {
        Map<String, String> state = new TreeMap<>();
        for (NodeProcess node : cluster.nodes()) {
            assertThat(node.isAlive()).as("%s is running", node.name()).isTrue();
            ReplogClient client = node.client();
            switch (node.kind()) {
                case MASTER -> state.put(node.name(), client.messages().toString());
                case SECONDARY, FAULTY_SECONDARY -> {
                    JsonNode status = client.replicationStatus();
                    state.put(node.name(), client.messages() + " acked=" + status.path("ackedSeq").asLong()
                            + " epoch=" + status.path("epoch").asLong()
                            + (node.kind() == NodeKind.FAULTY_SECONDARY ? " faults=" + client.get("/faults").body() : ""));
                }
                case SYNC -> {
                    HttpResult keys = client.get("/paxos/keys");
                    assertThat(keys.status()).as("GET /paxos/keys on %s: %s", node.name(), keys).isEqualTo(200);
                    state.put(node.name(), keys.body());
                }
            }
        }
        return state;
    }

    // ---- valid edge input round-trips -------------------------------------------------------

    @Test
    @DisplayName("unicode, NUL, control characters, an empty message and one of exactly 1 MiB round-trip byte for byte")
    void validEdgeMessagesRoundTripExactly() {
        List<String> messages = List.of(
                "nul:\u0000:end",
                "controls:\u0001\u0007\b\f\n\r\t\u001f\u007f",
                "emoji 🦜👩‍👩‍👧‍👦 and flags 🇺🇦🇯🇵",
                "CJK 日本語 中文 한국어, RTL עברית العربية, combining e\u0301 vs \u00e9",
                "BOM \ufeff, line separator \u2028, paragraph \u2029, noncharacter \uffff",
                "json \"quotes\" \\backslash\\ /slash/ </script>",
                "",
                "a".repeat(MIB));
        ReplogClient master = cluster.client();
        List<Long> seqs = new ArrayList<>();
        for (String message : messages) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("message", message);
            body.put("w", 3);
            // an empty message is a message (docs/decisions/0005): appended like the others
            seqs.add(Written.created(master.postJson("/messages", body), 3, 3).seq());
        }
        List<String> expected = messages;
        List<LogEntry> log = cluster.awaitConverged(Duration.ofSeconds(30));
        for (NodeProcess node : List.of(cluster.master(), cluster.node(ReplogCluster.SECONDARY),
                cluster.node(ReplogCluster.FAULTY_SECONDARY))) {
            List<LogEntry> shown = node.client().messages();
            List<String> texts = seqs.stream().map(seq -> shown.get((int) (seq - 1)).message()).toList();
            assertThat(texts).as("messages as %s shows them", node.name()).containsExactlyElementsOf(expected);
            for (long seq : seqs) {
                HttpResult one = node.client().get("/messages/" + seq);
                assertThat(one.status()).isEqualTo(200);
                assertThat(one.json().path("message").asString()).isEqualTo(log.get((int) (seq - 1)).message());
            }
        }
    }

    // ---- slow bodies ------------------------------------------------------------------------

    @Test
    @DisplayName("a body dribbled byte by byte hangs neither the node nor its other clients, and then counts")
    void slowBodyHangsNobody() throws Exception {
        ReplogClient master = cluster.client();
        String message = "slow-" + UUID.randomUUID();
        byte[] body = ("{\"message\": \"" + message + "\", \"w\": 1}").getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", cluster.master().port())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            for (int i = 0; i < body.length; i++) {
                out.write(body[i]);
                out.flush();
                if (i % 10 == 0) {
                    // meanwhile the node serves everyone else at once
                    long t0 = System.nanoTime();
                    assertThat(master.get("/health").status()).isEqualTo(200);
                    Written.created(master.write("meanwhile-" + UUID.randomUUID(), 2), 2, 3);
                    assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("other clients' wait")
                            .isLessThan(Duration.ofSeconds(2));
                }
                TimeUnit.MILLISECONDS.sleep(40); // the dribble itself, not a wait for a condition
            }
            String answer = readAll(socket.getInputStream());
            assertThat(answer).as("answer to the slow body").startsWith("HTTP/1.1 201");
        }
        assertThat(master.texts()).contains(message);
    }

    @Test
    @DisplayName("an internal request without the secret is refused before its body arrives")
    void refusedBeforeTheBodyIsRead() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", cluster.node(ReplogCluster.SECONDARY).port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            // a body announced, never sent: only an answer given before reading it can arrive
            out.write(("POST /replication/append HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1000000\r\n\r\n{\"epoch\":").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String head = readHead(socket.getInputStream());
            assertThat(head).startsWith("HTTP/1.1 401").containsIgnoringCase("application/problem+json");
        }
        assertThat(cluster.node(ReplogCluster.SECONDARY).client().replicationStatus().path("epoch").asLong())
                .isEqualTo(epoch);
    }

    @Test
    @DisplayName("a request whose body never comes holds only its own connection")
    void stalledBodyHoldsOnlyItsConnection() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        try {
            for (NodeProcess node : cluster.nodes()) {
                Socket socket = new Socket("127.0.0.1", node.port());
                socket.getOutputStream().write(("POST /messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                        + "application/json\r\nContent-Length: 100\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                stalled.add(socket);
            }
            List<CompletableFuture<HttpResult>> healths = cluster.nodes().stream()
                    .map(node -> node.client().sendAsync("GET", "/actuator/health", null, null, Map.of(),
                            ReplogClient.SHORT))
                    .toList();
            for (CompletableFuture<HttpResult> health : healths) {
                assertThat(health.get(5, TimeUnit.SECONDS).status()).isEqualTo(200);
            }
            Written.created(cluster.client().write("while-stalled-" + UUID.randomUUID(), 3), 3, 3);
        } finally {
            for (Socket socket : stalled) {
                socket.close();
            }
        }
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    /** The status line and headers of an HTTP answer (up to the blank line). */
    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            head.append((char) c);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        return head.toString();
    }

    // ---- the same cluster serves these service checks ----------------------------------------

    @Test
    @DisplayName("the same Idempotency-Key twice gives the original answer with 200 and appends once")
    void idempotencyKeyAppendsOnce() {
        ReplogClient master = cluster.client();
        String key = "key-" + UUID.randomUUID();
        String message = "idempotent-" + key;
        int sizeBefore = master.messages().size();

        HttpResult first = master.postJsonAsync("/messages", Map.of("message", message, "w", 2),
                Map.of("Idempotency-Key", key)).join();
        Written original = Written.created(first, 2, 3);
        HttpResult again = master.postJsonAsync("/messages", Map.of("message", message, "w", 2),
                Map.of("Idempotency-Key", key)).join();

        assertThat(again.status()).as("second post with the same key: %s", again).isEqualTo(200);
        JsonNode body = again.json();
        assertThat(body.path("seq").asLong(-1)).isEqualTo(original.seq());
        assertThat(body.path("id").asLong(-1)).isEqualTo(original.id());
        List<LogEntry> after = master.messages();
        assertThat(after).hasSize(sizeBefore + 1);
        assertThat(after).filteredOn(e -> e.message().equals(message)).hasSize(1)
                .first().isEqualTo(new LogEntry(original.seq(), original.id(), message));
    }

    @Test
    @DisplayName("the OpenAPI document lists /messages and /health, and Swagger UI is served")
    void openApiDocumentListsTheEndpoints() {
        HttpResult docs = cluster.client().get("/v3/api-docs");
        assertThat(docs.status()).as("GET /v3/api-docs: %s", docs).isEqualTo(200);
        JsonNode paths = docs.json().path("paths");
        assertThat(paths.has("/messages")).as("/messages in %s", paths.propertyNames()).isTrue();
        assertThat(paths.has("/health")).as("/health in %s", paths.propertyNames()).isTrue();
        assertThat(paths.has("/messages/{seq}")).as("/messages/{seq} in %s", paths.propertyNames()).isTrue();
        assertThat(paths.path("/messages").has("post")).isTrue();

        HttpResult ui = cluster.client().get("/swagger-ui.html");
        if (ui.status() / 100 == 3) {
            String location = ui.header("Location").orElseThrow();
            ui = cluster.client().get(location.startsWith("http") ? java.net.URI.create(location).getRawPath() : location);
        }
        assertThat(ui.status()).as("Swagger UI: %s", ui).isEqualTo(200);
    }

    @Test
    @DisplayName("actuator health is UP on every node and the master's Prometheus endpoint exposes replog meters")
    void actuatorAndPrometheusExposeReplogMeters() {
        for (NodeProcess node : cluster.nodes()) {
            HttpResult health = node.client().get("/actuator/health");
            assertThat(health.status()).as("%s /actuator/health: %s", node.name(), health).isEqualTo(200);
            assertThat(health.json().path("status").asString("")).isEqualTo("UP");
        }
        Written.created(cluster.client().write("for-the-meters", 2), 2, 3);
        HttpResult prometheus = cluster.client().get("/actuator/prometheus");
        assertThat(prometheus.status()).as("GET /actuator/prometheus").isEqualTo(200);
        List<String> replogLines = prometheus.body().lines().filter(l -> l.startsWith("replog_")).toList();
        assertThat(replogLines).as("replog_ samples").isNotEmpty();
        for (String secondary : new String[] {ReplogCluster.SECONDARY, ReplogCluster.FAULTY_SECONDARY}) {
            assertThat(replogLines).as("replication lag of %s", secondary)
                    .anySatisfy(l -> assertThat(l).startsWith("replog_replication_lag").contains("\"" + secondary + "\""));
            assertThat(replogLines).as("replication retries of %s", secondary)
                    .anySatisfy(l -> assertThat(l).startsWith("replog_replication_retries").contains("\"" + secondary + "\""));
        }
        assertThat(replogLines).as("write-concern wait time tagged by w")
                .anySatisfy(l -> assertThat(l).startsWith("replog_write_concern_wait_seconds").contains("w=\"2\""));
    }

    // ---- the cluster secret across processes ------------------------------------------------

    @Test
    @DisplayName("with a cluster secret the cluster replicates, and the secret is in no node's log or actuator answer")
    void secretClusterReplicatesAndNeverShowsTheSecret() {
        String secret = cluster.clusterSecret();
        assertThat(secret).as("the fixture gives every cluster a secret").isNotBlank();
        Written.created(cluster.client().write("with-secret-" + UUID.randomUUID(), 3), 3, 3);
        cluster.awaitConverged(Duration.ofSeconds(30));
        for (NodeProcess node : cluster.nodes()) {
            assertThat(node.tail(100_000)).as("log of %s", node.name()).doesNotContain(secret);
            for (String path : List.of("/actuator", "/actuator/env", "/actuator/configprops", "/actuator/health",
                    "/actuator/info", "/actuator/metrics", "/actuator/prometheus")) {
                HttpResult answer = node.client().withoutSecret().get(path);
                assertThat(answer.body()).as("GET %s on %s", path, node.name()).doesNotContain(secret);
            }
        }
    }
}
