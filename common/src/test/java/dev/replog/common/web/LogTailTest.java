package dev.replog.common.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.replog.common.log.InMemoryLogStore;
import dev.replog.common.protocol.Entry;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.springframework.http.codec.ServerSentEvent;
import reactor.test.StepVerifier;

class LogTailTest {

    private final InMemoryLogStore store = new InMemoryLogStore();
    private final LogTail tail = new LogTail(store, store::durableSeq, Duration.ofHours(1));

    private void append(long from, long to) {
        store.append(LongStream.rangeClosed(from, to).mapToObj(seq -> new Entry(seq, seq * 10, "m" + seq)).toList())
                .join();
        tail.advanced(store.durableSeq());
    }

    @Test
    void historyThenLiveEntriesArriveInOrderWithoutGapOrDuplicate() {
        append(1, 3);
        StepVerifier.create(tail.follow(1).map(Entry::seq).take(6))
                .expectNext(1L, 2L, 3L)
                .then(() -> append(4, 5))
                .expectNext(4L, 5L)
                .then(() -> append(6, 6))
                .expectNext(6L)
                .expectComplete()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void aFollowerThatStartsPastTheEndWaitsForItsEntry() {
        append(1, 2);
        StepVerifier.create(tail.follow(4).map(Entry::seq).take(1))
                .then(() -> append(3, 3))
                .expectNoEvent(Duration.ofMillis(200))
                .then(() -> append(4, 4))
                .expectNext(4L)
                .expectComplete()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void eventsResumeAfterTheLastEventIdAndCarryTheSeqAsTheirId() {
        append(1, 5);
        StepVerifier.create(tail.events("3", "1").skip(1).take(2))
                .assertNext(event -> assertEvent(event, 4))
                .assertNext(event -> assertEvent(event, 5))
                .expectComplete()
                .verify(Duration.ofSeconds(5));
        StepVerifier.create(tail.events(null, "2").skip(1).take(1))
                .assertNext(event -> assertEvent(event, 2))
                .expectComplete()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void eventsOpenWithAKeepAliveCommentAtOnceEvenWhenThereIsNothingToSend() {
        StepVerifier.create(tail.events(null, null))
                .assertNext(LogTailTest::assertKeepAlive)
                .thenCancel()
                .verify(Duration.ofSeconds(1));
    }

    @Test
    void aQuietStreamCarriesAKeepAliveCommentEachIntervalAndEntriesAsTheyCome() {
        LogTail quick = new LogTail(store, store::durableSeq, Duration.ofMillis(50));
        StepVerifier.create(quick.events(null, null))
                .assertNext(LogTailTest::assertKeepAlive)
                .assertNext(LogTailTest::assertKeepAlive)
                .assertNext(LogTailTest::assertKeepAlive)
                .then(() -> {
                    store.append(List.of(new Entry(1, 10, "m1"))).join();
                    quick.advanced(1);
                })
                .thenConsumeWhile(event -> event.comment() != null)
                .assertNext(event -> assertEvent(event, 1))
                .assertNext(LogTailTest::assertKeepAlive)
                .thenCancel()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void aKeepAliveIntervalMustBePositive() {
        assertThatThrownBy(() -> new StreamSettings(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("replog.stream.keep-alive");
    }

    @Test
    void aSlowFollowerHoldsBackNeitherTheWriterNorItself() {
        append(1, 1);
        StepVerifier.create(tail.follow(1).map(Entry::seq), 1)
                .expectNext(1L)
                // the follower asks for nothing more while the writer goes on
                .then(() -> append(2, 5_000))
                .expectNoEvent(Duration.ofMillis(100))
                .thenRequest(4_999)
                .expectNextSequence(LongStream.rangeClosed(2, 5_000).boxed().toList())
                .thenCancel()
                .verify(Duration.ofSeconds(10));
        assertThat(store.lastSeq()).isEqualTo(5_000);
    }

    @Test
    void aBadStartIsABadRequest() {
        assertThatThrownBy(() -> tail.events("x", null)).isInstanceOf(BadRequestException.class);
        assertThatThrownBy(() -> tail.events(null, "-1")).isInstanceOf(BadRequestException.class);
    }

    private static void assertKeepAlive(ServerSentEvent<Entry> event) {
        assertThat(event.comment()).isEqualTo("keep-alive");
        assertThat(event.data()).isNull();
    }

    private static void assertEvent(ServerSentEvent<Entry> event, long seq) {
        assertThat(event.id()).isEqualTo(Long.toString(seq));
        assertThat(event.event()).isEqualTo("entry");
        assertThat(event.data()).isEqualTo(new Entry(seq, seq * 10, "m" + seq));
    }
}
