package dev.replog.cluster;

import static dev.replog.cluster.fixture.LogChecks.assertWellFormed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.replog.cluster.fixture.ClusterExtension;
import dev.replog.cluster.fixture.HttpResult;
import dev.replog.cluster.fixture.LogEntry;
import dev.replog.cluster.fixture.NodeProcess;
import dev.replog.cluster.fixture.ReplogClient;
import dev.replog.cluster.fixture.ReplogCluster;
import dev.replog.cluster.fixture.Written;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * Exactly-once and total order under faults: the faulty-secondary fails half of its appends
 * before storing and half of the rest after storing (so the master must resend batches it
 * already holds), with delays and jitter; hundreds of concurrent writes with mixed w.
 */
@ExtendWith(ClusterExtension.class)
@DisplayName("Exactly once and in order under faults")
class ExactlyOnceUnderFaultsIT {

    private static final int N = 3;
    private static final int BURST = 300;
    private static final int WAVE = 10;
    private static final int WRITES = BURST + 10 * WAVE;
    private static final Object[] CONCERNS = {1, 2, 3, "majority", "all"};
    private static final int[] RESOLVED = {1, 2, 3, 2, 3};
    private static final Pattern SAMPLE =
            Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})?\\s+([-+0-9.eEaInNf]+)(\\s+\\d+)?$");

    @Test
    @DisplayName("300 concurrent writes and 10 waves of 10 with mixed w all succeed while the faulty-secondary errors before "
            + "and after appending, and every node ends with the identical gap-free log, each message once")
    void everyWriteSucceedsAndEveryNodeHoldsTheSameLogExactlyOnce() throws Exception {
        try (ReplogCluster cluster = ReplogCluster.standard(getClass())
                .start()) {
            ReplogClient master = cluster.client();
            NodeProcess faulty = cluster.node(ReplogCluster.FAULTY_SECONDARY);

            Map<String, Object> faults = Map.of("errorBeforeAppend", 0.5, "errorAfterAppend", 0.5,
                    "delayMs", 20, "delayJitterMs", 30);
            JsonNode set = faulty.client().faults(faults);
            assertThat(set.path("errorBeforeAppend").asDouble()).isEqualTo(0.5);
            assertThat(set.path("errorAfterAppend").asDouble()).isEqualTo(0.5);
            JsonNode shown = faulty.client().get("/faults").json();
            assertThat(shown.path("delayMs").asInt()).isEqualTo(20);
            assertThat(shown.path("delayJitterMs").asInt()).isEqualTo(30);
            assertThat(shown.path("down").asBoolean(true)).isFalse();

            // Mixed concerns, some given in the body and some in the query string. First a burst of
            // BURST writes at once (few large batches), then waves of WAVE writes (many small batches,
            // so that errors after storing make the master resend entries the node already holds).
            Map<String, CompletableFuture<HttpResult>> pending = new LinkedHashMap<>();
            Map<String, Integer> expectedW = new HashMap<>();
            for (int i = 0; i < BURST; i++) {
                send(master, i, pending, expectedW);
            }
            CompletableFuture.allOf(pending.values().toArray(CompletableFuture[]::new)).get(180, TimeUnit.SECONDS);
            for (int i = BURST; i < WRITES; i += WAVE) {
                List<CompletableFuture<HttpResult>> wave = new ArrayList<>();
                for (int j = i; j < Math.min(i + WAVE, WRITES); j++) {
                    wave.add(send(master, j, pending, expectedW));
                }
                CompletableFuture.allOf(wave.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            }

            // Every write was acknowledged, with its own seq.
            List<String> failures = new ArrayList<>();
            Map<String, Written> written = new HashMap<>();
            for (Map.Entry<String, CompletableFuture<HttpResult>> e : pending.entrySet()) {
                HttpResult result = e.getValue().join();
                if (result.status() != 201) {
                    failures.add(e.getKey() + " -> " + result);
                    continue;
                }
                written.put(e.getKey(), Written.created(result, expectedW.get(e.getKey()), N));
            }
            assertThat(failures).as("writes not answered 201").isEmpty();
            Set<Long> seqs = written.values().stream().map(Written::seq).collect(Collectors.toSet());
            assertThat(seqs).as("seqs of the acknowledged writes")
                    .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, WRITES).boxed().toList());

            // The master's log: seqs 1..N, ids strictly increasing, each message once, as acknowledged.
            List<LogEntry> masterLog = master.messages();
            assertThat(masterLog).hasSize(WRITES);
            assertWellFormed("master", masterLog);
            for (LogEntry entry : masterLog) {
                Written ack = written.get(entry.message());
                assertThat(ack).as("acknowledgement of %s", entry).isNotNull();
                assertThat(new long[] {ack.seq(), ack.id()}).as("seq and id of %s as acknowledged", entry.message())
                        .containsExactly(entry.seq(), entry.id());
            }

            // Every node converges to exactly that log: same seq -> (id, message), nothing twice.
            List<LogEntry> converged = cluster.awaitConverged(Duration.ofSeconds(90));
            assertThat(converged).isEqualTo(masterLog);
            for (NodeProcess node : cluster.secondaries()) {
                List<LogEntry> log = node.client().messages();
                assertWellFormed(node.name(), log);
                assertThat(log).as("log of %s", node.name()).isEqualTo(masterLog);
                assertThat(node.client().replicationStatus().path("ackedSeq").asLong())
                        .as("ackedSeq of %s", node.name()).isEqualTo(WRITES);
            }

            // The faults really happened: the master retried deliveries to the faulty-secondary.
            String prometheus = master.get("/actuator/prometheus").body();
            double retries = sum(prometheus, "replog_replication_retries_total", ReplogCluster.FAULTY_SECONDARY);
            assertThat(retries).as("replog_replication_retries_total for faulty-secondary in\n%s",
                    grep(prometheus, "retr")).isPositive();

            // Each node logs what it deduplicated: with half the failures after storing, some resends
            // carried entries the faulty-secondary already held (odds of none: below 1e-6).
            long dedupLines = Files.readAllLines(faulty.logFile()).stream()
                    .map(line -> line.toLowerCase(Locale.ROOT))
                    .filter(line -> line.contains("dedup") || line.contains("duplicate"))
                    .count();
            System.out.printf("faulty-secondary log lines about duplicates: %d, master retries to it: %.0f%n",
                    dedupLines, retries);
            assertThat(dedupLines).as("lines of %s about deduplicated entries", faulty.logFile()).isPositive();
        }
    }

    /** Sends write number {@code i} with the {@code i}-th concern, in the body or (every 7th) the query. */
    private static CompletableFuture<HttpResult> send(ReplogClient master, int i,
            Map<String, CompletableFuture<HttpResult>> pending, Map<String, Integer> expectedW) {
        String message = String.format(Locale.ROOT, "m-%03d", i);
        Object w = CONCERNS[i % CONCERNS.length];
        expectedW.put(message, RESOLVED[i % CONCERNS.length]);
        CompletableFuture<HttpResult> answer = i % 7 == 3
                ? master.postJsonAsync("/messages?w=" + w, Map.of("message", message), Map.of())
                : master.writeAsync(message, w);
        pending.put(message, answer);
        return answer;
    }

    /** Sum of the samples of {@code metric} whose labels contain the value {@code labelValue}. */
    static double sum(String prometheus, String metric, String labelValue) {
        double total = 0;
        Set<String> seen = new HashSet<>();
        for (String line : prometheus.split("\n")) {
            Matcher m = SAMPLE.matcher(line.trim());
            if (m.matches() && m.group(1).equals(metric) && m.group(2) != null
                    && m.group(2).contains("\"" + labelValue + "\"") && seen.add(line)) {
                total += Double.parseDouble(m.group(3));
            }
        }
        return total;
    }

    static String grep(String text, String word) {
        return text.lines().filter(l -> l.toLowerCase(Locale.ROOT).contains(word)).collect(Collectors.joining("\n"));
    }
}
