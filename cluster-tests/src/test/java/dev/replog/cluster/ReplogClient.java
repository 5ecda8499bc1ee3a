package dev.replog.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small blocking and asynchronous HTTP client for one node, speaking replog's public and internal
 * API with {@link HttpClient} (HTTP/1.1) and Jackson 3.
 */
final class ReplogClient {

    static final JsonMapper JSON = JsonMapper.builder().build();

    /** The header internal requests carry the cluster secret in; a request may set its own value. */
    static final String SECRET_HEADER = "X-Replog-Secret";

    /** Reads and control calls answer quickly or not at all. */
    static final Duration SHORT = Duration.ofSeconds(5);
    /** Writes may legitimately wait for a node to come back. */
    static final Duration LONG = Duration.ofSeconds(150);
    /** The default limit of {@code GET /messages}: the page size when reading a whole log. */
    static final int PAGE = 10_000;

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private final URI base;
    private final String clusterSecret;

    ReplogClient(URI base) {
        this(base, null);
    }

    /** A client that sends {@code clusterSecret} (unless null) as every internal client of the cluster does. */
    ReplogClient(URI base, String clusterSecret) {
        this.base = base;
        this.clusterSecret = clusterSecret;
    }

    /** The same node without the cluster secret: an outsider. */
    ReplogClient withoutSecret() {
        return new ReplogClient(base, null);
    }

    URI base() {
        return base;
    }

    // ---- domain calls ----------------------------------------------------------------------

    /** {@code POST /messages {"message": m, "w": w}}; {@code w} null leaves it out. */
    HttpResult write(String message, Object w) {
        return join(writeAsync(message, w));
    }

    CompletableFuture<HttpResult> writeAsync(String message, Object w) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", message);
        if (w != null) {
            body.put("w", w);
        }
        return postJsonAsync("/messages", body, Map.of());
    }

    /** {@code POST /messages/batch {"messages": [..], "w": w}}. */
    CompletableFuture<HttpResult> writeBatchAsync(List<String> messages, Object w) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("messages", messages);
        body.put("w", w);
        return postJsonAsync("/messages/batch", body, Map.of());
    }

    /**
     * {@code POST /messages {"message": m, "w": w, "timeoutMs": t}}: a write that answers 504 once
     * {@code timeoutMs} passes instead of waiting for a node that is down.
     */
    CompletableFuture<HttpResult> writeAsync(String message, Object w, long timeoutMs) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", message);
        body.put("w", w);
        body.put("timeoutMs", timeoutMs);
        return postJsonAsync("/messages", body, Map.of());
    }

    /** {@code POST /messages} with the header {@code Idempotency-Key: key}. */
    HttpResult write(String message, Object w, String idempotencyKey) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", message);
        if (w != null) {
            body.put("w", w);
        }
        return join(postJsonAsync("/messages", body, Map.of("Idempotency-Key", idempotencyKey)));
    }

    /**
     * Every entry the node shows, in the order it shows them. A log longer than one page
     * ({@value #PAGE} entries, the default limit of {@code GET /messages}) is read page by page
     * with {@code ?from=&limit=}.
     */
    List<LogEntry> messages() {
        List<LogEntry> entries = new ArrayList<>(page("/messages"));
        List<LogEntry> last = entries;
        while (last.size() == PAGE) {
            long from = last.get(last.size() - 1).seq() + 1;
            last = page("/messages?from=" + from + "&limit=" + PAGE);
            entries.addAll(last);
        }
        return entries;
    }

    private List<LogEntry> page(String path) {
        HttpResult result = get(path);
        if (result.status() != 200) {
            throw new AssertionError("GET " + base + path + " answered " + result);
        }
        JsonNode array = result.json();
        if (!array.isArray()) {
            throw new AssertionError("GET " + base + path + " is not a JSON array: " + result);
        }
        List<LogEntry> entries = new ArrayList<>();
        array.forEach(node -> entries.add(LogEntry.of(node)));
        return entries;
    }

    /** The master's {@code mode} in {@code GET /health}: READ_WRITE, READ_ONLY or RECOVERING. */
    String mode() {
        return health().path("mode").asString("");
    }

    /** The messages' texts, in order. */
    List<String> texts() {
        return messages().stream().map(LogEntry::message).toList();
    }

    /** The master's {@code GET /health}. */
    JsonNode health() {
        HttpResult result = get("/health");
        if (result.status() != 200) {
            throw new AssertionError("GET " + base + "/health answered " + result);
        }
        return result.json();
    }

    /** The master's view of one node in {@code /health}: its {@code nodes[]} element. */
    JsonNode healthOf(String node) {
        for (JsonNode n : health().path("nodes")) {
            if (node.equals(n.path("name").asString(""))) {
                return n;
            }
        }
        throw new AssertionError("node " + node + " not in /health of " + base);
    }

    /** HEALTHY, SUSPECTED or UNHEALTHY as the master sees {@code node}. */
    String statusOf(String node) {
        return healthOf(node).path("status").asString("");
    }

    /** A faulty-secondary's {@code PUT /faults} with the given subset of settings. */
    JsonNode faults(Map<String, Object> settings) {
        HttpResult result = send("PUT", "/faults", JSON.writeValueAsString(settings), "application/json", Map.of(),
                SHORT);
        if (result.status() != 200) {
            throw new AssertionError("PUT " + base + "/faults " + settings + " answered " + result);
        }
        return result.json();
    }

    /** A secondary's {@code GET /replication/status}. */
    JsonNode replicationStatus() {
        HttpResult result = get("/replication/status");
        if (result.status() != 200) {
            throw new AssertionError("GET " + base + "/replication/status answered " + result);
        }
        return result.json();
    }

    // ---- plain HTTP -------------------------------------------------------------------------

    HttpResult get(String path) {
        return send("GET", path, null, null, Map.of(), SHORT);
    }

    HttpResult postJson(String path, Object body) {
        return join(postJsonAsync(path, body, Map.of()));
    }

    CompletableFuture<HttpResult> postJsonAsync(String path, Object body, Map<String, String> headers) {
        return sendAsync("POST", path, JSON.writeValueAsString(body), "application/json", headers, LONG);
    }

    /** Any request; {@code body} null sends none, {@code contentType} null sends no such header. */
    HttpResult send(String method, String path, String body, String contentType, Map<String, String> headers,
            Duration timeout) {
        return join(sendAsync(method, path, body, contentType, headers, timeout));
    }

    CompletableFuture<HttpResult> sendAsync(String method, String path, String body, String contentType,
            Map<String, String> headers, Duration timeout) {
        return sendAsync(method, path, body == null ? null : body.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                contentType, headers, timeout);
    }

    /** Any request with a body of raw bytes (which need not be valid UTF-8); null sends none. */
    HttpResult sendBytes(String method, String path, byte[] body, String contentType, Map<String, String> headers,
            Duration timeout) {
        return join(sendAsync(method, path, body, contentType, headers, timeout));
    }

    private CompletableFuture<HttpResult> sendAsync(String method, String path, byte[] body, String contentType,
            Map<String, String> headers, Duration timeout) {
        // concatenated, not resolved: a path such as //replication/append must reach the node as it is
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + (path.startsWith("/") ? "" : "/") + path))
                .timeout(timeout)
                .method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (clusterSecret != null && headers.keySet().stream().noneMatch(SECRET_HEADER::equalsIgnoreCase)) {
            request.header(SECRET_HEADER, clusterSecret);
        }
        headers.forEach(request::header);
        return HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> new HttpResult(response.statusCode(), response.headers(), response.body()));
    }

    private static HttpResult join(CompletableFuture<HttpResult> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw e;
        }
    }

    @Override
    public String toString() {
        return base.toString();
    }
}
