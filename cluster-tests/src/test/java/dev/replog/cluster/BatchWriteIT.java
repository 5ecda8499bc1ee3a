package dev.replog.cluster;

import static dev.replog.cluster.fixture.LogChecks.assertWellFormed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.replog.cluster.fixture.ClusterExtension;
import dev.replog.cluster.fixture.HttpResult;
import dev.replog.cluster.fixture.LogEntry;
import dev.replog.cluster.fixture.ReplogClient;
import dev.replog.cluster.fixture.ReplogCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /messages/batch} over real processes: concurrent batches at {@code w=3} and single
 * writes, while the faulty-secondary fails some deliveries after storing them, end with every node
 * holding the same log in which each batch is one contiguous run.
 */
@ExtendWith(ClusterExtension.class)
@DisplayName("Batch writes")
class BatchWriteIT {

    private static final int N = 3;
    private static final int BATCHES = 12;
    private static final int BATCH_SIZE = 40;
    private static ReplogCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = ReplogCluster.standard(BatchWriteIT.class)
                .start();
    }

    @Test
    @DisplayName("concurrent w=3 batches and single writes under delivery faults: every node holds the same log, "
            + "each batch contiguous, in array order, with the ids it was answered with")
    void batchesAreContiguousAndIdenticalOnEveryNode() {
        ReplogClient master = cluster.client();
        cluster.node(ReplogCluster.FAULTY_SECONDARY).client().faults(java.util.Map.of("errorAfterAppend", 0.3));
        List<CompletableFuture<HttpResult>> batches = new ArrayList<>();
        List<CompletableFuture<HttpResult>> singles = new ArrayList<>();
        for (int b = 0; b < BATCHES; b++) {
            int batch = b;
            batches.add(master.writeBatchAsync(
                    IntStream.range(0, BATCH_SIZE).mapToObj(i -> "batch" + batch + "-" + i).toList(), N));
            singles.add(master.writeAsync("single-" + b, b % N + 1));
        }
        singles.forEach(f -> assertThat(f.join().status()).as("answer %s", f.join()).isEqualTo(201));
        cluster.node(ReplogCluster.FAULTY_SECONDARY).client().faults(java.util.Map.of("errorAfterAppend", 0.0));

        List<LogEntry> log = cluster.awaitConverged(Duration.ofSeconds(60));
        assertWellFormed("master", log);
        assertThat(log).hasSize(BATCHES * (BATCH_SIZE + 1));
        for (CompletableFuture<HttpResult> future : batches) {
            HttpResult result = future.join();
            assertThat(result.status()).as("answer %s", result).isEqualTo(201);
            JsonNode answer = result.json();
            assertThat(answer.path("acks").asInt()).isEqualTo(N);
            int first = answer.path("first").asInt();
            assertThat(answer.path("last").asInt()).isEqualTo(first + BATCH_SIZE - 1);
            String name = log.get(first - 1).message().split("-")[0];
            for (int i = 0; i < BATCH_SIZE; i++) {
                LogEntry entry = log.get(first - 1 + i);
                assertThat(entry.message()).isEqualTo(name + "-" + i);
                assertThat(entry.id()).isEqualTo(answer.path("ids").get(i).asLong());
            }
        }
    }
}
