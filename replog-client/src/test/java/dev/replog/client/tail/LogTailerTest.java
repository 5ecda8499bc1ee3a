package dev.replog.client.tail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replog.client.ReplogClient;
import dev.replog.client.testing.FakeNode;
import dev.replog.client.testing.FakeNode.Reply;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** The tail against nodes played by tiny servers: a stream that ends, a node that repeats, a dead node. */
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
