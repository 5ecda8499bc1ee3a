package dev.replog.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.replog.cluster.fixture.ClusterExtension;
import dev.replog.cluster.fixture.HttpResult;
import dev.replog.cluster.fixture.LogEntry;
import dev.replog.cluster.fixture.NodeProcess;
import dev.replog.cluster.fixture.ReplogClient;
import dev.replog.cluster.fixture.ReplogCluster;
import dev.replog.cluster.fixture.Written;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Messages of the largest size taken (1 MiB of UTF-8), more of them than a node's heap holds (the
 * nodes run with 256 MiB): no node keeps a number of entries in memory without bounding their
 * bytes. Every page of a read stops at a byte budget; a restarted master reloads its keys and a
 * master that lost its disk fetches the whole log from a secondary, page by page.
 */
@ExtendWith(ClusterExtension.class)
@DisplayName("Messages of 1 MiB")
class LargeMessagesIT {

    private static final int N = 3;
    private static final int MIB = 1 << 20;
    /** More than a node's 256 MiB heap can hold at once. */
    private static final int COUNT = 300;
    /** Writes sent at once (the master groups their fsyncs). */
    private static final int IN_FLIGHT = 4;
    /** The byte budget of one page of GET /messages (LogQuery.PAGE_BYTES). */
    private static final int PAGE_BYTES = 8 * MIB;
    private static ReplogCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = ReplogCluster.standard(LargeMessagesIT.class)
                .start();
    }

    @Test
    @DisplayName("300 messages of 1 MiB at w=3: pages of GET /messages stop at 8 MiB, every node shows all of them, "
            + "a master restarted with kill -9 takes writes again, and one that lost its disk fetches every entry")
    void megabyteMessages() {
        ReplogClient master = cluster.client();
        List<String> written = new ArrayList<>();
        for (int first = 1; first <= COUNT; first += IN_FLIGHT) {
            List<String> messages = new ArrayList<>();
            List<CompletableFuture<HttpResult>> answers = new ArrayList<>();
            for (int i = first; i < first + IN_FLIGHT && i <= COUNT; i++) {
                String prefix = "large-" + i + "-";
                messages.add(prefix + String.valueOf((char) ('a' + i % 26)).repeat(MIB - prefix.length()));
                answers.add(master.writeAsync(messages.get(messages.size() - 1), 3));
            }
            for (int k = 0; k < answers.size(); k++) {
                Written created = Written.created(answers.get(k).join(), 3, N);
                written.add(summary(new LogEntry(created.seq(), created.id(), messages.get(k))));
            }
        }
        written.sort(Comparator.comparingLong(LargeMessagesIT::seqOf));

        for (NodeProcess node : cluster.nodes()) {
            HttpResult page = node.client().get("/messages");
            assertThat(page.status()).as("GET /messages on %s", node.name()).isEqualTo(200);
            assertThat(page.json().size()).as("entries in the first page of %s", node.name())
                    .isBetween(1, PAGE_BYTES / MIB);
        }
        awaitEveryNodeShows(written);

        NodeProcess masterNode = cluster.master();
        masterNode.kill();
        masterNode.start();
        cluster.awaitReadWrite();
        // w=3: every node holds it, after the 300 the restarted master reloaded
        Written afterRestart = Written.created(master.write("after the restart", 3), 3, N);
        assertThat(afterRestart.seq()).isEqualTo(COUNT + 1);
        written.add(summary(new LogEntry(afterRestart.seq(), afterRestart.id(), "after the restart")));

        masterNode.kill();
        masterNode.wipeDataDir();
        masterNode.start();
        cluster.awaitReadWrite();
        assertThat(summaries(master)).as("the log the master fetched after losing its disk").isEqualTo(written);
        Written afterLoss = Written.created(master.write("after the lost disk", 3), 3, N);
        assertThat(afterLoss.seq()).isEqualTo(COUNT + 2);
        written.add(summary(new LogEntry(afterLoss.seq(), afterLoss.id(), "after the lost disk")));
        awaitEveryNodeShows(written);
    }

    /** Compared as summaries: an assertion message that quoted 300 MiB of entries would sink the test JVM's report. */
    private static void awaitEveryNodeShows(List<String> written) {
        for (NodeProcess node : cluster.nodes()) {
            await("the log of " + node.name()).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> summaries(node.client()).equals(written));
        }
    }

    private static long seqOf(String summary) {
        return Long.parseLong(summary.substring(0, summary.indexOf('/')));
    }

    private static List<String> summaries(ReplogClient client) {
        return client.messages().stream().map(LargeMessagesIT::summary).toList();
    }

    /** An entry in a few bytes: seq, id, the message's length, its first 16 chars and its hash. */
    private static String summary(LogEntry entry) {
        String message = entry.message();
        return entry.seq() + "/" + entry.id() + "/" + message.length() + "/"
                + message.substring(0, Math.min(16, message.length())) + "/" + message.hashCode();
    }
}
