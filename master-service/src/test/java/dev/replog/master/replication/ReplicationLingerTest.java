package dev.replog.master.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.replog.common.protocol.AppendRequest;
import dev.replog.common.protocol.Entry;
import dev.replog.master.MasterWebTest;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRoutes;
import tools.jackson.databind.json.JsonMapper;

/**
 * With a linger far longer than the test ({@code replog.replication.linger=10m}), a {@code w=1}
 * entry is held back for a bigger batch, and a {@code w=2} write, which waits on the secondary,
 * is answered at once and takes the held entry along in the same batch.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "server.address=127.0.0.1", "replog.heartbeat.interval=100ms", "replog.replication.linger=10m",
        "spring.reactor.netty.shutdown-quiet-period=0s"})
@AutoConfigureWebTestClient
class ReplicationLingerTest extends MasterWebTest {

    /** The stand-in secondary's watermark: its last entry's seq and id (0 and 0 while empty). */
    record Watermark(long seq, long id) {
    }

    static final AtomicReference<Watermark> LAST = new AtomicReference<>(new Watermark(0, 0));
    static final Queue<AppendRequest> APPENDS = new ConcurrentLinkedQueue<>();
    /** The highest epoch of an append taken (the recovering master's fence is the first). */
    static final AtomicLong EPOCH = new AtomicLong();
    /** A secondary that takes every append as it comes and reports what it holds. */
    @AutoClose
    static final StandInSecondary SECONDARY = new StandInSecondary(HttpServerRoutes.newRoutes()
            .get("/replication/status", (request, response) -> response.status(200)
                    .header("Content-Type", "application/json")
                    .sendString(Mono.fromSupplier(() -> "{\"name\":\"s1\",\"ackedSeq\":" + LAST.get().seq()
                            + ",\"lastId\":" + LAST.get().id() + ",\"epoch\":" + EPOCH.get() + "}")).then())
            .post("/replication/append", (request, response) -> request.receive().aggregate().asByteArray()
                    .flatMap(body -> {
                        AppendRequest append = JsonMapper.shared().readValue(body, AppendRequest.class);
                        APPENDS.add(append);
                        EPOCH.accumulateAndGet(append.epoch(), Math::max);
                        if (!append.entries().isEmpty()) {
                            Entry last = append.entries().get(append.entries().size() - 1);
                            LAST.set(new Watermark(last.seq(), last.id()));
                        }
                        return response.status(200).header("Content-Type", "application/json")
                                .sendString(Mono.just("{\"ackedSeq\":" + LAST.get().seq() + ",\"epoch\":"
                                        + append.epoch() + "}")).then();
                    })));

    @DynamicPropertySource
    static void secondary(DynamicPropertyRegistry registry) {
        registry.add("replog.secondaries", SECONDARY::asSecondaries);
    }

    @Test
    void aW1EntryLingersAndAW2WriteTakesItAlongAtOnce() {
        await().atMost(Duration.ofSeconds(20)).until(() -> post("lingers", 1) == 201);

        assertThat(post("awaited", 2)).as("w=2 answered with the linger far from over").isEqualTo(201);

        List<Long> firstShipped = APPENDS.stream().filter(append -> !append.entries().isEmpty()).findFirst()
                .orElseThrow().entries().stream().map(Entry::seq).toList();
        assertThat(firstShipped).as("the w=1 entry went out with the w=2 one, not alone").containsExactly(1L, 2L);
    }

    private int post(String message, int w) {
        return web.mutate().responseTimeout(Duration.ofSeconds(20)).build().post().uri("/messages?w=" + w)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"message\":\"" + message + "\"}")
                .exchange().returnResult(String.class).getStatus().value();
    }
}
