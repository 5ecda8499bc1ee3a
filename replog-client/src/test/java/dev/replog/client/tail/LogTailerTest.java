package dev.replog.client.tail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.replog.client.ReplogClient;
import dev.replog.client.testing.FakeNode;
import dev.replog.client.testing.FakeNode.Reply;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * The tail against nodes played by tiny servers: a stream that ends, a node that repeats, a dead
 * node, a quiet node that sends keep-alive comments and a frozen one that sends nothing.
 */
class LogTailerTest {

    @Test
    void aTailResumesOnTheNextNodeAfterTheLastEntryAndDropsWhatItSeesAgain() {
        try (FakeNode first = new FakeNode(request -> noHealth(request) != null ? noHealth(request) : Reply.stream(Flux.just(events(1, 3), ":keep-alive\n\n")));
             // ignores ?from= and starts over: the tail must drop 1..3
             FakeNode second = new FakeNode(request -> noHealth(request) != null ? noHealth(request) : Reply.stream(Flux.concat(Flux.just(events(1, 6)),
                     Flux.never())));
             ReplogClient client = ReplogClient.builder()
                     .nodes(List.of(first.url().toString(), second.url().toString())).build()) {

            StepVerifier.create(client.tail(1).map(Entry::seq).take(6))
                    .expectNext(1L, 2L, 3L, 4L, 5L, 6L)
                    .expectComplete()
                    .verify(Duration.ofSeconds(10));
            assertThat(second.requests()).extracting(FakeNode.Request::uri).contains("/messages/stream?from=4")
                    .doesNotContain("/messages/stream?from=1");
        }
    }

    @Test
    void aNodeThatSkipsEntriesIsLeftForOneThatHasThem() {
        try (FakeNode skipping = new FakeNode(request -> noHealth(request) != null ? noHealth(request) : Reply.stream(Flux.concat(Flux.just(events(1, 1) + events(3, 4)),
                Flux.never())));
             FakeNode good = new FakeNode(request -> noHealth(request) != null ? noHealth(request) : Reply.stream(Flux.concat(Flux.just(events(2, 4)), Flux.never())));
             ReplogClient client = ReplogClient.builder()
                     .nodes(List.of(FakeNode.deadUrl(), skipping.url().toString(), good.url().toString())).build()) {

            StepVerifier.create(client.tail(1).map(Entry::message).take(4))
                    .expectNext("m1", "m2", "m3", "m4")
                    .expectComplete()
                    .verify(Duration.ofSeconds(10));
        }
    }

    @Test
    void aStandbyMastersOwnLogIsNotFollowed() {
        try (FakeNode standby = new FakeNode(request -> request.uri().equals("/health")
                ? Reply.json(200, "{\"mode\":\"STANDBY\",\"role\":\"STANDBY\"}")
                : Reply.stream(Flux.concat(Flux.just(events(1, 3).replace("\"m", "\"stale-m")), Flux.never())));
             FakeNode secondary = new FakeNode(request -> request.uri().equals("/health")
                     ? Reply.json(200, "{\"name\":\"secondary\",\"role\":\"secondary\",\"lastSeq\":3}")
                     : Reply.stream(Flux.concat(Flux.just(events(1, 3)), Flux.never())));
             ReplogClient client = ReplogClient.builder()
                     .nodes(List.of(standby.url().toString(), secondary.url().toString())).build()) {

            StepVerifier.create(client.tail(1).map(Entry::message).take(3))
                    .expectNext("m1", "m2", "m3")
                    .expectComplete()
                    .verify(Duration.ofSeconds(10));
            assertThat(standby.requests()).extracting(FakeNode.Request::uri).containsOnly("/health");
        }
    }

    @Test
    void keepAliveCommentsKeepAQuietStreamOnItsNode() {
        Duration idle = Duration.ofMillis(600);
        try (FakeNode quiet = new FakeNode(request -> noHealth(request) != null ? noHealth(request)
                : Reply.stream(Flux.concat(Flux.just(events(1, 2)),
                        Flux.interval(Duration.ofMillis(150)).map(tick -> ":keep-alive\n\n"))));
             FakeNode other = new FakeNode(request -> noHealth(request) != null ? noHealth(request)
                     : Reply.stream(Flux.concat(Flux.just(events(1, 5)), Flux.never())));
             ReplogClient client = ReplogClient.builder().tailIdleTimeout(idle)
                     .nodes(List.of(quiet.url().toString(), other.url().toString())).build()) {

            List<Long> tailed = new CopyOnWriteArrayList<>();
            Disposable tail = client.tail(1).map(Entry::seq).subscribe(tailed::add);
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> tailed.size() == 2);
                await("the tail to stay on the quiet node for four idle timeouts").during(idle.multipliedBy(4))
                        .atMost(idle.multipliedBy(8))
                        .until(() -> other.requests().isEmpty());
                assertThat(tailed).containsExactly(1L, 2L);
            } finally {
                tail.dispose();
            }
        }
    }

    @Test
    void aStreamSilentForTheIdleTimeoutIsLeftForTheNextNode() {
        try (FakeNode frozen = new FakeNode(request -> noHealth(request) != null ? noHealth(request)
                : Reply.stream(Flux.concat(Flux.just(events(1, 2)), Flux.never())));
             FakeNode other = new FakeNode(request -> noHealth(request) != null ? noHealth(request)
                     : Reply.stream(Flux.concat(Flux.just(events(3, 5)), Flux.never())));
             ReplogClient client = ReplogClient.builder().tailIdleTimeout(Duration.ofMillis(600))
                     .nodes(List.of(frozen.url().toString(), other.url().toString())).build()) {

            StepVerifier.create(client.tail(1).map(Entry::seq).take(5))
                    .expectNext(1L, 2L, 3L, 4L, 5L)
                    .expectComplete()
                    .verify(Duration.ofSeconds(10));
            assertThat(other.requests()).extracting(FakeNode.Request::uri).contains("/messages/stream?from=3");
        }
    }

    /** 404 for {@code /health}, as nodes from before it answer; null for anything else. */
    private static Reply noHealth(FakeNode.Request request) {
        return request.uri().equals("/health") ? Reply.json(404, "{\"title\":\"Not found\",\"status\":404}") : null;
    }

    private static String events(long from, long to) {
        return LongStream.rangeClosed(from, to)
                .mapToObj(seq -> "id:" + seq + "\nevent:entry\ndata:{\"seq\":" + seq + ",\"id\":" + seq
                        + ",\"message\":\"m" + seq + "\"}\n\n")
                .collect(Collectors.joining());
    }
}
