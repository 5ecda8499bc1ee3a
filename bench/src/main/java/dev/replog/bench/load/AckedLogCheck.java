package dev.replog.bench.load;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * After a takeover run: waits until every secondary acknowledges the active master's last seq,
 * then reads each node's whole log ({@code GET /messages}, page by page) and checks it against what
 * the writers were told: every acknowledged message at the seq it was acknowledged with, no
 * message twice, seqs 1, 2, 3... without a gap. Messages that were never acknowledged (a write
 * whose answer was lost in a kill, then retried with its key) may be there or not.
 */
final class AckedLogCheck {

    private static final int PAGE = 10_000;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Counts summed over the nodes read; {@code complete}: every node reached the master's last seq. */
    record Result(long lost, long misplaced, long duplicates, boolean complete, String summary) {
    }

    private final FailoverWriters writers;
    private final HttpClient http;

    AckedLogCheck(FailoverWriters writers, HttpClient http) {
        this.writers = writers;
        this.http = http;
    }

    Result check(ClusterControl.Node master, List<ClusterControl.Node> nodes, Duration atMost, PrintStream out)
            throws Exception {
        JsonNode health = get(master, "/health");
        long lastSeq = health.path("lastSeq").asLong();
        long deadline = System.nanoTime() + atMost.toNanos();
        boolean complete = true;
        while (true) {
            long behind = 0;
            for (JsonNode node : get(master, "/health").path("nodes")) {
                if (!node.path("url").asString("").equals("self") && node.path("ackedSeq").asLong() < lastSeq) {
                    behind++;
                }
            }
            if (behind == 0) {
                break;
            }
            if (System.nanoTime() > deadline) {
                out.printf("log check: %d secondaries below seq %d after %s; checking what they hold%n", behind, lastSeq,
                        atMost);
                complete = false;
                break;
            }
            Thread.sleep(200);
        }
        long[][] acked = new long[writers.clients()][];
        for (int c = 0; c < acked.length; c++) {
            acked[c] = writers.ackedSeqs(c);
        }
        long lost = 0;
        long misplaced = 0;
        long duplicates = 0;
        List<String> lines = new ArrayList<>();
        for (ClusterControl.Node node : nodes) {
            NodeCount count = read(node, acked);
            lost += count.lost;
            misplaced += count.misplaced;
            duplicates += count.duplicates;
            complete &= count.entries >= lastSeq && count.gaps == 0;
            lines.add(String.format("%s %d entries, %d of this run, %d lost, %d misplaced, %d twice, %d gaps",
                    node.name(), count.entries, count.ours, count.lost, count.misplaced, count.duplicates, count.gaps));
        }
        return new Result(lost, misplaced, duplicates, complete, String.join("; ", lines));
    }

    private static final class NodeCount {
        long entries;
        long ours;
        long lost;
        long misplaced;
        long duplicates;
        long gaps;
    }

    private NodeCount read(ClusterControl.Node node, long[][] acked) throws Exception {
        NodeCount count = new NodeCount();
        BitSet[] seen = new BitSet[acked.length];
        for (int c = 0; c < seen.length; c++) {
            seen[c] = new BitSet(acked[c].length);
        }
        long seq = 1;
        while (true) {
            JsonNode page = get(node, "/messages?from=" + seq + "&limit=" + PAGE);
            if (page.isEmpty()) {
                break;
            }
            for (JsonNode entry : page) {
                long at = entry.path("seq").asLong();
                if (at != seq) {
                    count.gaps++;
                }
                seq = at + 1;
                count.entries++;
                long[] message = writers.parse(entry.path("message").asString(""));
                if (message == null || message[0] >= acked.length) {
                    continue;
                }
                count.ours++;
                int client = (int) message[0];
                int number = (int) message[1];
                if (seen[client].get(number)) {
                    count.duplicates++;
                    continue;
                }
                seen[client].set(number);
                if (number < acked[client].length && acked[client][number] > 0 && acked[client][number] != at) {
                    count.misplaced++;
                }
            }
        }
        for (int c = 0; c < acked.length; c++) {
            for (int n = 0; n < acked[c].length; n++) {
                if (acked[c][n] > 0 && !seen[c].get(n)) {
                    count.lost++;
                }
            }
        }
        return count;
    }

    private JsonNode get(ClusterControl.Node node, String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(node.url() + path))
                .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(node.url() + path + " answered " + response.statusCode());
        }
        return JSON.readTree(response.body());
    }
}
