package dev.replog.faulty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replog.common.protocol.ReplicationPaths;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

/** The filter on its own, in virtual time: no real waiting, no timing assumptions. */
class FaultFilterTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final String BATCH =
            "{\"epoch\":1,\"prevSeq\":4,\"prevId\":40,\"entries\":[{\"seq\":5,\"id\":50,\"message\":\"m\"}]}";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicBoolean proceeded = new AtomicBoolean();
    private final WebFilterChain passThrough = exchange -> Mono.fromRunnable(() -> proceeded.set(true));

    @Test
    void aDelayHoldsTheRequestBackBeforeItProceeds() {
        FaultFilter filter = filterWith(new FaultSettings(0, 0, 300, 0, false));
        ServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get(ReplicationPaths.STATUS));

        StepVerifier.withVirtualTime(() -> filter.filter(exchange, passThrough))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(299))
                .then(() -> assertThat(proceeded).isFalse())
                .thenAwait(Duration.ofMillis(1))
                .expectComplete()
                .verify(TIMEOUT);

        assertThat(proceeded).isTrue();
        assertThat(registry.get("replog.faults.injected").tag("kind", "delay").counter().count()).isEqualTo(1);
    }

    @Test
    void theJitterAddsAtMostDelayJitterMs() {
        FaultFilter filter = filterWith(new FaultSettings(0, 0, 100, 50, false));
        ServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get(ReplicationPaths.STATUS));

        StepVerifier.withVirtualTime(() -> filter.filter(exchange, passThrough))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(99))
                .thenAwait(Duration.ofMillis(51))
                .expectComplete()
                .verify(TIMEOUT);

        assertThat(proceeded).isTrue();
    }

    @Test
    void requestsOutsideReplicationPassStraightThroughWhateverTheFaults() {
        FaultFilter filter = filterWith(new FaultSettings(1, 1, 60_000, 0, true));
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/messages"));

        StepVerifier.create(filter.filter(exchange, passThrough)).expectComplete().verify(TIMEOUT);

        assertThat(proceeded).isTrue();
        assertThat(exchange.getResponse().getStatusCode()).isNull();
    }

    @Test
    void downAnswers503ProblemJsonWithoutCallingTheSecondary() {
        FaultFilter filter = filterWith(new FaultSettings(0, 0, 0, 0, true));
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get(ReplicationPaths.STATUS));

        StepVerifier.create(filter.filter(exchange, passThrough)).expectComplete().verify(TIMEOUT);

        assertThat(proceeded).isFalse();
        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(exchange.getResponse().getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        StepVerifier.create(exchange.getResponse().getBodyAsString())
                .assertNext(body -> assertThat(body).contains("\"status\":503").contains("\"fault\":\"down\""))
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void errorAfterAppendLetsTheAppendReadTheBodyThenReplacesItsAnswer() {
        FaultFilter filter = filterWith(new FaultSettings(0, 1, 0, 0, false));
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post(ReplicationPaths.APPEND)
                .contentType(MediaType.APPLICATION_JSON)
                .body(BATCH));
        AtomicReference<String> bodySeenByTheAppend = new AtomicReference<>();
        WebFilterChain append = handled -> DataBufferUtils.join(handled.getRequest().getBody())
                .map(buffer -> {
                    bodySeenByTheAppend.set(buffer.toString(StandardCharsets.UTF_8));
                    DataBufferUtils.release(buffer);
                    return buffer;
                })
                .then(Mono.defer(() -> {
                    handled.getResponse().setStatusCode(HttpStatus.OK);
                    handled.getResponse().getHeaders().setContentType(MediaType.APPLICATION_JSON);
                    return handled.getResponse().writeWith(Mono.just(DefaultDataBufferFactory.sharedInstance
                            .wrap("{\"ackedSeq\":5,\"epoch\":1}".getBytes(StandardCharsets.UTF_8))));
                }));

        StepVerifier.create(filter.filter(exchange, append)).expectComplete().verify(TIMEOUT);

        assertThat(bodySeenByTheAppend).hasValue(BATCH);
        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
        assertThat(exchange.getResponse().getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        StepVerifier.create(exchange.getResponse().getBodyAsString())
                .assertNext(body -> assertThat(body).contains("\"fault\":\"error-after-append\"").doesNotContain("ackedSeq"))
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void errorBeforeAppendNeverCallsTheAppend() {
        FaultFilter filter = filterWith(new FaultSettings(1, 0, 0, 0, false));
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post(ReplicationPaths.APPEND)
                .contentType(MediaType.APPLICATION_JSON)
                .body(BATCH));

        StepVerifier.create(filter.filter(exchange, passThrough)).expectComplete().verify(TIMEOUT);

        assertThat(proceeded).isFalse();
        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
    }

    @Test
    void errorProbabilitiesLeaveHeartbeatsAlone() {
        FaultFilter filter = filterWith(new FaultSettings(1, 1, 0, 0, false));
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get(ReplicationPaths.STATUS));

        StepVerifier.create(filter.filter(exchange, passThrough)).expectComplete().verify(TIMEOUT);

        assertThat(proceeded).isTrue();
    }

    private FaultFilter filterWith(FaultSettings settings) {
        Faults faults = new Faults(new FaultProperties(settings.errorBeforeAppend(), settings.errorAfterAppend(),
                settings.delayMs(), settings.delayJitterMs(), settings.down()));
        return new FaultFilter(faults, new InjectedFaults(registry), new FaultProblemWriter(ServerCodecConfigurer.create()),
                new BatchReader(JsonMapper.builder().build(), DataSize.ofMegabytes(16)));
    }
}
