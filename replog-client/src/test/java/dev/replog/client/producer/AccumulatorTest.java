package dev.replog.client.producer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replog.client.write.AppendResult;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class AccumulatorTest {

    private static final long LINGER = 5_000_000;

    @Test
    void aFullBatchIsReadyAtOnceAndTheNextMessageOpensAnother() {
        Accumulator accumulator = new Accumulator(3, 1000, LINGER, 100);
        assertThat(add(accumulator, "a", 0)).isEqualTo(Accumulator.Added.OPENED_BATCH);
        assertThat(add(accumulator, "b", 0)).isEqualTo(Accumulator.Added.JOINED_BATCH);
        assertThat(add(accumulator, "c", 0)).isEqualTo(Accumulator.Added.FILLED_BATCH);
        assertThat(add(accumulator, "d", 0)).isEqualTo(Accumulator.Added.OPENED_BATCH);

        List<Batch> ready = accumulator.drain(10, 1);
        assertThat(ready).hasSize(1);
        assertThat(ready.get(0).messages()).containsExactly("a", "b", "c");
        assertThat(accumulator.buffered()).isEqualTo(1);
    }

    @Test
    void theOpenBatchWaitsForItsLingerMeasuredFromItsFirstMessage() {
        Accumulator accumulator = new Accumulator(10, 1000, LINGER, 100);
        add(accumulator, "a", 100);
        add(accumulator, "b", 100 + LINGER - 1);

        assertThat(accumulator.drain(10, 100 + LINGER - 1)).isEmpty();
        assertThat(accumulator.lingerEndsAt()).isEqualTo(100 + LINGER);
        assertThat(accumulator.drain(10, 100 + LINGER)).singleElement()
                .satisfies(batch -> assertThat(batch.messages()).containsExactly("a", "b"));
        assertThat(accumulator.lingerEndsAt()).isEqualTo(-1);
    }

    @Test
    void aMessageThatWouldPassTheByteLimitClosesTheBatchBeforeIt() {
        Accumulator accumulator = new Accumulator(10, 10, LINGER, 100);
        accumulator.add("six...", 6, new CompletableFuture<>(), 0);
        accumulator.add("five.", 5, new CompletableFuture<>(), 0);
        accumulator.add("four", 4, new CompletableFuture<>(), 0);

        List<Batch> ready = accumulator.drain(10, 0);
        assertThat(ready).singleElement().satisfies(batch -> {
            assertThat(batch.messages()).containsExactly("six...");
            assertThat(batch.bytes()).isEqualTo(6);
        });
        assertThat(accumulator.drain(10, LINGER)).singleElement()
                .satisfies(batch -> assertThat(batch.messages()).containsExactly("five.", "four"));
    }

    @Test
    void aMessageThatClosesTheBatchBeforeItOpensTheNextAndSaysBoth() {
        Accumulator accumulator = new Accumulator(10, 10, LINGER, 100);
        assertThat(accumulator.add("six...", 6, new CompletableFuture<>(), 0)).isEqualTo(Accumulator.Added.OPENED_BATCH);

        Accumulator.Added added = accumulator.add("five.", 5, new CompletableFuture<>(), 0);

        assertThat(added).isEqualTo(Accumulator.Added.CLOSED_AND_OPENED_BATCH);
        assertThat(added.madeReady()).isTrue();
        assertThat(added.startsLinger()).isTrue();
        assertThat(accumulator.hasReady(0)).isTrue();
        assertThat(accumulator.lingerEndsAt()).isEqualTo(LINGER);
    }

    /**
     * The producer wakes its sender only on an add that says a batch became ready; if any add made a
     * batch ready without saying so, that batch would wait for the linger. Checked over random sizes.
     */
    @Property(tries = 200)
    void beforeAnyLingerEndsABatchIsReadyExactlyWhenAnAddSaidOne(
            @ForAll @IntRange(min = 1, max = 6) int batchSize,
            @ForAll @IntRange(min = 1, max = 30) int maxBatchBytes,
            @ForAll @Size(max = 40) List<@IntRange(min = 0, max = 12) Integer> sizes) {
        Accumulator accumulator = new Accumulator(batchSize, maxBatchBytes, LINGER, 1000);
        boolean saidReady = false;
        for (int size : sizes) {
            Accumulator.Added added = accumulator.add("m", size, new CompletableFuture<>(), 0);
            saidReady |= added.madeReady();
            assertThat(accumulator.hasReady(0)).as("ready after adding %d bytes", size).isEqualTo(saidReady);
            assertThat(added.startsLinger()).isEqualTo(accumulator.lingerEndsAt() == LINGER && added != Accumulator.Added.JOINED_BATCH);
            if (saidReady && size % 3 == 0) {
                accumulator.drain(1000, 0);
                saidReady = false;
            }
        }
    }

    @Test
    void aMessageLargerThanTheByteLimitStillGoesAloneInItsBatch() {
        Accumulator accumulator = new Accumulator(10, 10, LINGER, 100);
        accumulator.add("big", 50, new CompletableFuture<>(), 0);

        assertThat(accumulator.drain(10, LINGER)).singleElement()
                .satisfies(batch -> assertThat(batch.messages()).containsExactly("big"));
    }

    @Test
    void drainHandsOutNoMoreBatchesThanThereAreFreeSlotsInOrder() {
        Accumulator accumulator = new Accumulator(1, 1000, LINGER, 100);
        for (String message : List.of("a", "b", "c")) {
            add(accumulator, message, 0);
        }

        assertThat(accumulator.drain(2, 0)).extracting(batch -> batch.messages().get(0)).containsExactly("a", "b");
        assertThat(accumulator.drain(2, 0)).extracting(batch -> batch.messages().get(0)).containsExactly("c");
    }

    @Test
    void aFlushMakesTheOpenBatchReadyBeforeItsLinger() {
        Accumulator accumulator = new Accumulator(10, 1000, LINGER, 100);
        add(accumulator, "a", 0);
        assertThat(accumulator.hasReady(0)).isFalse();

        accumulator.flush();

        assertThat(accumulator.hasReady(0)).isTrue();
        assertThat(accumulator.drain(10, 0)).hasSize(1);
        add(accumulator, "b", 0);
        assertThat(accumulator.hasReady(0)).as("a flush ends once everything was drained").isFalse();
    }

    @Test
    void aMessagePastTheBufferedLimitIsRefusedUntilBatchesAreDrained() {
        Accumulator accumulator = new Accumulator(10, 1000, LINGER, 2);
        add(accumulator, "a", 0);
        add(accumulator, "b", 0);

        assertThat(add(accumulator, "c", 0)).isEqualTo(Accumulator.Added.BUFFER_FULL);
        accumulator.drain(10, LINGER);
        assertThat(add(accumulator, "c", LINGER)).isEqualTo(Accumulator.Added.OPENED_BATCH);
    }

    @Test
    void everyBatchHasItsOwnIdempotencyKey() {
        Accumulator accumulator = new Accumulator(1, 1000, LINGER, 100);
        add(accumulator, "a", 0);
        add(accumulator, "b", 0);

        List<Batch> ready = accumulator.drain(10, 0);
        assertThat(ready.get(0).key()).isNotEqualTo(ready.get(1).key());
    }

    private static Accumulator.Added add(Accumulator accumulator, String message, long now) {
        return accumulator.add(message, message.length(), new CompletableFuture<AppendResult>(), now);
    }
}
