package dev.replog.client.ids;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replog.client.ReplogClient;
import dev.replog.client.http.Json;
import dev.replog.client.testing.FakeNode;
import dev.replog.client.testing.FakeNode.Reply;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Ids from sync nodes played by tiny servers: one dead, one without a majority, one that answers. */
class IdStreamTest {

    @Test
    void idsComeFromWhicheverSyncNodeAnswersInRangesOfTheBufferSize() {
        AtomicLong next = new AtomicLong(1);
        AtomicInteger ranges = new AtomicInteger();
        try (FakeNode noMajority = new FakeNode(request -> Reply.json(503,
                "{\"title\":\"No majority\",\"status\":503,\"detail\":\"1 of 3\"}"));
             FakeNode answering = new FakeNode(request -> {
                 long size = Json.tree(request.body().getBytes()).path("size").asLong();
                 long from = next.getAndAdd(size + 3); // a gap of 3 after every range, as a lost answer leaves
                 ranges.incrementAndGet();
                 return Reply.json(200, "{\"name\":\"orders\",\"from\":" + from + ",\"to\":" + (from + size - 1) + "}");
             });
             ReplogClient client = ReplogClient.builder().nodes(List.of("http://127.0.0.1:1"))
                     .syncNodes(List.of(FakeNode.deadUrl(), noMajority.url().toString(), answering.url().toString()))
                     .build()) {

            List<Long> ids = client.ids("orders", 7).take(20).collectList().block(Duration.ofSeconds(10));

            assertThat(ids).hasSize(20).doesNotHaveDuplicates().isSorted();
            assertThat(ids.subList(0, 8)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 11L);
            assertThat(answering.requests()).allSatisfy(request -> {
                assertThat(request.uri()).isEqualTo("/sequences/orders/ranges");
                assertThat(request.body()).isEqualTo("{\"size\":7}");
            });
            assertThat(ranges.get()).as("20 ids from ranges of 7, one fetched ahead").isBetween(3, 4);
        }
    }
}
