package dev.replog.common.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

class ClusterSecretFilterTest {

    private static final String SECRET = "the-cluster-secret";

    private final ClusterSecretFilter secured = new ClusterSecretFilter(new ClusterSettings(SECRET),
            ServerCodecConfigurer.create(), "replication", "paxos");
    private final AtomicBoolean passed = new AtomicBoolean();
    private final WebFilterChain chain = exchange -> Mono.fromRunnable(() -> passed.set(true));

    @ParameterizedTest
    @ValueSource(strings = {"/replication/append", "/replication/status", "/paxos/prepare", "/replication",
            "//replication/append", "/Replication/append", "/replication;x=1/append", "/%72eplication/append",
            "/PAXOS/accept"})
    void anInternalPathWithoutTheSecretIsRefused401WithAProblemAndNeverReachesTheHandler(String path) {
        // a raw URI: as the path arrives on the wire, neither re-encoded nor read as an authority
        MockServerWebExchange exchange = MockServerWebExchange.from(
                MockServerHttpRequest.method(HttpMethod.POST, URI.create("http://node" + path)));

        secured.filter(exchange, chain).block();

        assertThat(passed).as("handler reached for %s", path).isFalse();
        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(exchange.getResponse().getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(exchange.getResponse().getHeaders().getFirst("WWW-Authenticate")).startsWith("Replog-Secret");
        assertThat(exchange.getResponse().getBodyAsString().block())
                .contains("\"status\":401", "\"title\":\"Unauthorized\"", "https://replog.dev/problems/unauthorized",
                        "header is missing");
    }

    @Test
    void theOpenapiDocumentMarksAsInternalThePathTemplatesItGuards() {
        assertThat(secured.guards("/replication/append")).isTrue();
        assertThat(secured.guards("/paxos/{phase}")).isTrue();
        assertThat(secured.guards("/Replication")).isTrue();
        assertThat(secured.guards("/messages")).isFalse();
        assertThat(secured.guards("/messages/replication")).isFalse();
        assertThat(secured.guards("/")).isFalse();
    }

    @Test
    void aWrongSecretIsRefusedAndTheAnswerDoesNotEchoIt() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/replication/append")
                .header(ClusterSettings.SECRET_HEADER, "guess-" + SECRET));

        secured.filter(exchange, chain).block();

        assertThat(passed).isFalse();
        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(exchange.getResponse().getBodyAsString().block()).contains("header is wrong")
                .doesNotContain(SECRET);
    }

    @Test
    void theRightSecretPasses() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/paxos/accept")
                .header(ClusterSettings.SECRET_HEADER, SECRET));

        secured.filter(exchange, chain).block();

        assertThat(passed).isTrue();
        assertThat(exchange.getResponse().getStatusCode()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/messages", "/messages/1", "/health", "/actuator/health", "/sequences/x/ranges",
            "/locks/a/acquire", "/faults", "/replicationx/append", "/"})
    void publicPathsPassWithoutTheSecret(String path) {
        secured.filter(MockServerWebExchange.from(MockServerHttpRequest.get(path)), chain).block();
        assertThat(passed).as("handler reached for %s", path).isTrue();
    }

    @Test
    void withoutASecretInternalPathsStayOpen() {
        ClusterSecretFilter open = new ClusterSecretFilter(new ClusterSettings(null), ServerCodecConfigurer.create(),
                "replication");
        open.filter(MockServerWebExchange.from(MockServerHttpRequest.post("/replication/append")), chain).block();
        assertThat(passed).isTrue();
    }
}
