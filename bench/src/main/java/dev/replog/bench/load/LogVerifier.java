package dev.replog.bench.load;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * After a run: waits until every secondary acknowledges the master's last seq, then reads every
 * node's log page by page ({@code GET /messages}) and checks that the pages are byte for byte the
 * same and that seqs run 1, 2, 3... without gap or duplicate. The first node is the master.
 */
final class LogVerifier {

    private static final int PAGE = 10_000;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final List<URI> nodes;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    LogVerifier(List<URI> nodes) {
        this.nodes = nodes;
    }

    boolean verify(Duration atMost, PrintStream out) throws Exception {
        long lastSeq = get(nodes.get(0), "/health").path("lastSeq").asLong();
        long deadline = System.nanoTime() + atMost.toNanos();
        for (URI node : nodes.subList(1, nodes.size())) {
            long acked;
            while ((acked = get(node, "/replication/status").path("ackedSeq").asLong()) < lastSeq) {
                if (System.nanoTime() > deadline) {
                    out.printf("verify: FAILED: %s acknowledged seq %d of %d within %s%n", node, acked, lastSeq, atMost);
                    return false;
                }
                Thread.sleep(200);
            }
        }
        long seq = 1;
        while (seq <= lastSeq) {
            String path = "/messages?from=" + seq + "&limit=" + PAGE;
            String reference = text(nodes.get(0), path);
            JsonNode entries = JSON.readTree(reference);
            for (int i = 0; i < entries.size(); i++) {
                if (entries.get(i).path("seq").asLong() != seq + i) {
                    out.printf("verify: FAILED: %s shows seq %d where %d belongs%n", nodes.get(0),
                            entries.get(i).path("seq").asLong(), seq + i);
                    return false;
                }
            }
            for (URI node : nodes.subList(1, nodes.size())) {
                String page = text(node, path);
                if (!page.equals(reference)) {
                    out.printf("verify: FAILED: %s differs from %s in seq %d..%d%n", node, nodes.get(0), seq,
                            seq + entries.size() - 1);
                    return false;
                }
            }
            if (entries.isEmpty()) {
                break;
            }
            seq += entries.size();
        }
        out.printf("verify: OK: %d nodes hold the same %d entries%n", nodes.size(), seq - 1);
        return seq - 1 == lastSeq;
    }

    private JsonNode get(URI node, String path) throws Exception {
        return JSON.readTree(text(node, path));
    }

    private String text(URI node, String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(node.resolve(path))
                .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(node + path + " answered " + response.statusCode());
        }
        return response.body();
    }
}
