package dev.replog.client.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.replog.client.ReplogClient;
import dev.replog.client.http.Json;
import dev.replog.client.testing.FakeNode;
import dev.replog.client.testing.FakeNode.Reply;
import dev.replog.client.write.AppendResult;
import dev.replog.client.write.WriteConcern;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The producer against a master played by a tiny server that numbers batches as the real one does. */
class ReplogProducerTest {

    /** Messages of at most 4 UTF-8 bytes, in batches of 10. */
    private static final ProducerSettings FOUR_BYTES_AT_MOST = new ProducerSettings(WriteConcern.ONE,
            Duration.ofMillis(5), 10, 1000, 4, 1, 100, Duration.ofSeconds(10));

    @Test
    void eachMessageGetsItsOwnSeqAndIdFromItsBatchsAnswer() {
        BatchingMaster master = new BatchingMaster(false);
        try (FakeNode node = new FakeNode(master::answer);
             ReplogClient client = ReplogClient.builder().nodes(List.of(node.url().toString())).build();
             ReplogProducer producer = client.newProducer(ProducerSettings.DEFAULTS.withW(WriteConcern.MAJORITY)
                     .withBatching(Duration.ofMillis(20), 8).withMaxInFlight(2))) {

            List<CompletableFuture<AppendResult>> futures = IntStream.range(0, 100)
                    .mapToObj(i -> producer.send("m" + i)).toList();
            producer.flush().join();

            Set<Long> seqs = new HashSet<>();
            for (int i = 0; i < futures.size(); i++) {
                AppendResult result = futures.get(i).join();
                assertThat(master.messageAt(result.seq())).isEqualTo("m" + i);
                assertThat(result.id()).isEqualTo(result.seq() * 10);
                seqs.add(result.seq());
            }
            assertThat(seqs).hasSize(100);
            assertThat(master.batchSizes).allSatisfy(size -> assertThat(size).isBetween(1, 8));
            assertThat(master.batchSizes.size()).isLessThan(100);
            assertThat(master.maxInFlight.get()).isLessThanOrEqualTo(2);
            assertThat(node.requests()).allSatisfy(request -> assertThat(request.body()).contains("\"w\":\"majority\""));
        }
    }

    @Test
    void aBatchWhoseConnectionDroppedIsRetriedUnderItsKeyAndAppendedOnce() {
        BatchingMaster master = new BatchingMaster(true);
        try (FakeNode node = new FakeNode(master::answer);
             ReplogClient client = ReplogClient.builder().nodes(List.of(node.url().toString())).build();
             ReplogProducer producer = client.newProducer(ProducerSettings.DEFAULTS
                     .withBatching(Duration.ofMillis(5), 3))) {

            List<CompletableFuture<AppendResult>> futures = IntStream.range(0, 9)
                    .mapToObj(i -> producer.send("m" + i)).toList();

            List<Long> seqs = futures.stream().map(CompletableFuture::join).map(AppendResult::seq).toList();
            assertThat(seqs).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(
                    List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L));
            assertThat(master.appended.get()).as("every message appended once").isEqualTo(9);
            Map<String, Long> triesPerKey = node.requests().stream().collect(java.util.stream.Collectors.groupingBy(
                    request -> request.header("Idempotency-Key"), java.util.stream.Collectors.counting()));
            assertThat(triesPerKey.values()).as("each batch sent twice under its key").containsOnly(2L);
        }
    }

    @Test
    void aMessageOverTheLimitFailsAloneAndAtOnce() {
        try (FakeNode node = new FakeNode(new BatchingMaster(false)::answer);
             ReplogClient client = ReplogClient.builder().nodes(List.of(node.url().toString())).build();
             ReplogProducer producer = client.newProducer(FOUR_BYTES_AT_MOST)) {

            CompletableFuture<AppendResult> tooBig = producer.send("12345");
            CompletableFuture<AppendResult> fine = producer.send("1234");

            await().atMost(Duration.ofSeconds(10)).until(fine::isDone);
            assertThat(tooBig).isCompletedExceptionally();
            assertThat(fine.join().seq()).isEqualTo(1);
        }
    }

    @Test
    void flushCompletesOnlyOnceEveryMessageSentBeforeHasItsAnswer() {
        BatchingMaster master = new BatchingMaster(false);
        try (FakeNode node = new FakeNode(master::answer);
             ReplogClient client = ReplogClient.builder().nodes(List.of(node.url().toString())).build();
             ReplogProducer producer = client.newProducer(ProducerSettings.DEFAULTS
                     .withBatching(Duration.ofMinutes(1), 7).withMaxInFlight(1))) {
            // a linger no test waits out: only the flush sends the last, open batch
            List<CompletableFuture<AppendResult>> futures = IntStream.range(0, 50)
                    .mapToObj(i -> producer.send("m" + i)).toList();
            assertThat(producer.pending()).isEqualTo(50);

            producer.flush().join();

            assertThat(futures).allSatisfy(future -> assertThat(future).isCompleted());
            assertThat(producer.pending()).isZero();
            assertThat(master.appended).hasValue(50);
        }
    }

    @Test
    void aMessageWithAnUnpairedSurrogateOrOverTheLimitInUtf8FailsAlone() {
        try (FakeNode node = new FakeNode(new BatchingMaster(false)::answer);
             ReplogClient client = ReplogClient.builder().nodes(List.of(node.url().toString())).build();
             ReplogProducer producer = client.newProducer(FOUR_BYTES_AT_MOST)) {

            CompletableFuture<AppendResult> unpaired = producer.send("a\uD800b");
            CompletableFuture<AppendResult> fiveBytes = producer.send("\u00e9\u20ac"); // 2 + 3 bytes in UTF-8
            CompletableFuture<AppendResult> fourBytes = producer.send("\uD83D\uDE00"); // one code point, 4 bytes

            assertThat(unpaired).failsWithin(Duration.ZERO).withThrowableThat().withMessageContaining("index 1");
            assertThat(fiveBytes).failsWithin(Duration.ZERO).withThrowableThat().withMessageContaining("5 UTF-8 bytes");
            assertThat(fourBytes.join().seq()).isEqualTo(1);
        }
    }

    /**
     * Numbers batches as the master does and remembers keys: a key seen again answers the original
     * batch with 200. With {@code dropFirstTry} it closes the connection of each key's first request
     * after appending the batch, as a master that died after writing would.
     */
    private static final class BatchingMaster {
        final boolean dropFirstTry;
        final AtomicLong lastSeq = new AtomicLong();
        final AtomicInteger appended = new AtomicInteger();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        final List<Integer> batchSizes = java.util.Collections.synchronizedList(new ArrayList<>());
        final Map<Long, String> log = new ConcurrentHashMap<>();
        final Map<String, String> answers = new ConcurrentHashMap<>();

        BatchingMaster(boolean dropFirstTry) {
            this.dropFirstTry = dropFirstTry;
        }

        String messageAt(long seq) {
            return log.get(seq);
        }

        synchronized Reply answer(FakeNode.Request request) {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                String key = request.header("Idempotency-Key");
                String earlier = answers.get(key);
                if (earlier != null) {
                    return Reply.json(200, earlier);
                }
                JsonNode body = Json.MAPPER.readTree(request.body());
                List<String> messages = new ArrayList<>();
                body.path("messages").forEach(message -> messages.add(message.asString()));
                long first = lastSeq.get() + 1;
                List<Long> ids = new ArrayList<>();
                for (String message : messages) {
                    long seq = lastSeq.incrementAndGet();
                    log.put(seq, message);
                    ids.add(seq * 10);
                }
                appended.addAndGet(messages.size());
                batchSizes.add(messages.size());
                String answer = Json.MAPPER.writeValueAsString(Map.of("first", first, "last", lastSeq.get(),
                        "ids", ids, "w", 2, "acks", 2));
                answers.put(key, answer);
                return dropFirstTry ? FakeNode.DROP : Reply.json(201, answer);
            } finally {
                inFlight.decrementAndGet();
            }
        }
    }
}
