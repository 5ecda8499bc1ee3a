package dev.replog.master.replication;

import dev.replog.common.protocol.AppendRequest;
import dev.replog.common.protocol.AppendResponse;
import dev.replog.common.protocol.ReplicationPaths;
import dev.replog.common.protocol.ReplicationStatus;
import dev.replog.master.config.SecondaryNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import dev.replog.common.protocol.Entry;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/** The master's HTTP client for one secondary's internal endpoints; every call has a timeout. */
final class SecondaryClient {

    private final SecondaryNode node;
    private final WebClient web;
    private final Duration appendTimeout;
    private final Duration statusTimeout;

    SecondaryClient(SecondaryNode node, WebClient.Builder builder, Duration appendTimeout, Duration statusTimeout) {
        this.node = node;
        this.web = builder.clone().baseUrl(node.url().toString()).build();
        this.appendTimeout = appendTimeout;
        this.statusTimeout = statusTimeout;
    }

    /** Ships one batch; a 409 is an outcome (the secondary's watermark), other failures errors. */
    Mono<AppendOutcome> append(AppendRequest request) {
        return web.post().uri(ReplicationPaths.APPEND)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(request)
                .exchangeToMono(this::toOutcome)
                .timeout(appendTimeout, Mono.error(() ->
                        new DeliveryException("append to " + node.name() + " timed out after " + appendTimeout)));
    }

    /** The secondary's status: the heartbeat. */
    Mono<ReplicationStatus> status() {
        return web.get().uri(ReplicationPaths.STATUS)
                .exchangeToMono(response -> response.statusCode().is2xxSuccessful()
                        ? response.bodyToMono(ReplicationStatus.class)
                        : failure(response))
                .timeout(statusTimeout, Mono.error(() ->
                        new DeliveryException("heartbeat to " + node.name() + " timed out after " + statusTimeout)));
    }

    /** Up to {@code limit} entries of the secondary's log from {@code fromSeq} (recovery). */
    Mono<List<Entry>> read(long fromSeq, int limit) {
        return web.get().uri(uri -> uri.path("/messages").queryParam("from", fromSeq).queryParam("limit", limit).build())
                .retrieve()
                .bodyToFlux(Entry.class)
                .collectList()
                .timeout(appendTimeout);
    }

    private Mono<AppendOutcome> toOutcome(ClientResponse response) {
        if (response.statusCode().is2xxSuccessful()) {
            return response.bodyToMono(AppendResponse.class)
                    .map(body -> new AppendOutcome(true, body.ackedSeq(), body.epoch(), null));
        }
        if (response.statusCode().value() == HttpStatus.CONFLICT.value()) {
            return response.bodyToMono(Map.class).map(SecondaryClient::refusal);
        }
        return failure(response);
    }

    private static AppendOutcome refusal(Map<?, ?> problem) {
        return new AppendOutcome(false, number(problem.get("ackedSeq")), number(problem.get("epoch")),
                String.valueOf(problem.get("title")));
    }

    private static long number(Object value) {
        if (value instanceof Number number) {
            return number.longValue();
        }
        throw new DeliveryException("409 without a numeric watermark: " + value);
    }

    private <T> Mono<T> failure(ClientResponse response) {
        return response.releaseBody().then(Mono.error(
                new DeliveryException(node.name() + " answered " + response.statusCode().value())));
    }
}
