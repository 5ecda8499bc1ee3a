package dev.replog.cluster;

import static dev.replog.cluster.fixture.LogChecks.append;
import static dev.replog.cluster.fixture.LogChecks.assertProblem;
import static dev.replog.cluster.fixture.LogChecks.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.replog.cluster.fixture.ClusterExtension;
import dev.replog.cluster.fixture.HttpResult;
import dev.replog.cluster.fixture.LogEntry;
import dev.replog.cluster.fixture.ReplogClient;
import dev.replog.cluster.fixture.ReplogCluster;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * A secondary driven directly through its internal append endpoint, without a master: entries
 * past a gap are kept aside and shown only once the gap fills; resends are deduplicated; batches
 * that do not follow its log or carry a stale epoch are refused with its watermark. The plain
 * secondary and the faulty-secondary (faults off) must behave alike.
 */
@ExtendWith(ClusterExtension.class)
@DisplayName("A gap on a secondary")
class GapIsHiddenUntilFilledIT {

    private static ReplogCluster cluster;

    @BeforeAll
    static void startSecondaries() {
        cluster = ReplogCluster.standard(GapIsHiddenUntilFilledIT.class)
                .withoutMaster()
                .start();
    }

    @ParameterizedTest(name = "on the {0}")
    @ValueSource(strings = {ReplogCluster.SECONDARY, ReplogCluster.FAULTY_SECONDARY})
    @DisplayName("is hidden until it is filled; resends are stored once; foreign and stale batches are refused")
    void isHiddenUntilFilled(String name) {
        ReplogClient node = cluster.node(name).client();
        LogEntry one = new LogEntry(1, 10, "one");
        LogEntry two = new LogEntry(2, 20, "two");
        LogEntry three = new LogEntry(3, 30, "three");
        LogEntry four = new LogEntry(4, 40, "four");
        LogEntry five = new LogEntry(5, 50, "five");

        // 1..2 in order.
        HttpResult first = append(node, 1, 0, 0, List.of(entry(1, 10, "one"), entry(2, 20, "two")));
        assertWatermark(first, 200, 2, 1);
        assertThat(node.messages()).containsExactly(one, two);

        // 4 after a gap at 3: refused with the watermark 2, kept aside, not shown.
        HttpResult gap = append(node, 1, 3, 30, List.of(entry(4, 40, "four")));
        JsonNode problem = assertProblem(gap, 409);
        assertThat(problem.path("ackedSeq").asLong(-1)).as("ackedSeq in %s", gap).isEqualTo(2);
        assertThat(problem.path("epoch").asLong(-1)).as("epoch in %s", gap).isEqualTo(1);
        assertThat(node.messages()).as("log while seq 3 is missing").containsExactly(one, two);
        assertProblem(node.get("/messages/4"), 404);
        assertProblem(node.get("/messages/3"), 404);
        assertThat(node.get("/messages?from=3").json()).as("GET /messages?from=3 while seq 3 is missing").isEmpty();
        JsonNode status = node.replicationStatus();
        assertThat(status.path("ackedSeq").asLong()).isEqualTo(2);
        assertThat(status.path("lastId").asLong()).isEqualTo(20);
        assertThat(status.path("name").asString("")).isEqualTo(name);

        // 3 fills the gap: 4, kept aside, follows.
        HttpResult fill = append(node, 1, 2, 20, List.of(entry(3, 30, "three")));
        assertThat(fill.status()).as("answer to the filling batch %s", fill).isEqualTo(200);
        assertThat(fill.json().path("ackedSeq").asLong()).as("ackedSeq in %s", fill).isBetween(3L, 4L);
        await("the entry kept aside (seq 4) to be applied once seq 3 arrived")
                .atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> {
                    assertThat(node.messages()).containsExactly(one, two, three, four);
                    assertThat(node.replicationStatus().path("ackedSeq").asLong()).isEqualTo(4);
                });
        assertThat(node.replicationStatus().path("lastId").asLong()).isEqualTo(40);
        assertThat(LogEntry.of(node.get("/messages/4").json())).isEqualTo(four);

        // A resend of 1..4 is a duplicate: answered with the watermark, stored once.
        HttpResult resend = append(node, 1, 0, 0, List.of(entry(1, 10, "one"), entry(2, 20, "two"),
                entry(3, 30, "three"), entry(4, 40, "four")));
        assertWatermark(resend, 200, 4, 1);
        assertThat(node.messages()).containsExactly(one, two, three, four);

        // A batch overlapping the end of the log stores only what is new.
        HttpResult overlap = append(node, 1, 2, 20, List.of(entry(3, 30, "three"), entry(4, 40, "four"),
                entry(5, 50, "five")));
        assertWatermark(overlap, 200, 5, 1);
        assertThat(node.messages()).containsExactly(one, two, three, four, five);

        // A batch that does not follow this log (another id at seq 5) is refused, nothing stored.
        // The watermark in the answer says where the master should resend from: at most 5 (a
        // secondary may point before the disagreeing entry, as Raft's log matching does).
        HttpResult foreign = append(node, 1, 5, 55, List.of(entry(6, 60, "six")));
        assertThat(assertProblem(foreign, 409).path("ackedSeq").asLong(-1)).as("ackedSeq in %s", foreign)
                .isBetween(0L, 5L);
        assertThat(node.messages()).containsExactly(one, two, three, four, five);
        assertProblem(node.get("/messages/6"), 404);

        // A newer epoch is accepted; the older one is refused from then on, nothing stored.
        assertWatermark(append(node, 2, 5, 50, List.of(entry(6, 60, "six"))), 200, 6, 2);
        HttpResult stale = append(node, 1, 6, 60, List.of(entry(7, 70, "seven")));
        JsonNode staleProblem = assertProblem(stale, 409);
        assertThat(staleProblem.path("epoch").asLong(-1)).as("epoch in %s", stale).isEqualTo(2);
        assertThat(staleProblem.path("ackedSeq").asLong(-1)).as("ackedSeq in %s", stale).isEqualTo(6);
        assertThat(node.messages()).extracting(LogEntry::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertProblem(node.get("/messages/7"), 404);
        assertThat(node.replicationStatus().path("epoch").asLong()).isEqualTo(2);
    }

    private static void assertWatermark(HttpResult result, int status, long ackedSeq, long epoch) {
        assertThat(result.status()).as("status of %s", result).isEqualTo(status);
        JsonNode body = result.json();
        assertThat(body.path("ackedSeq").asLong(-1)).as("ackedSeq in %s", result).isEqualTo(ackedSeq);
        assertThat(body.path("epoch").asLong(-1)).as("epoch in %s", result).isEqualTo(epoch);
    }
}
