package dev.replog.master.replication;

import dev.replog.common.protocol.AppendRequest;
import dev.replog.common.protocol.AppendResponse;
import dev.replog.common.protocol.KeyedEntries;
import dev.replog.common.protocol.ReplicationPaths;
import dev.replog.common.protocol.ReplicationStatus;
import dev.replog.common.web.ClusterSecretHeader;
import dev.replog.common.web.ClusterSettings;
import dev.replog.common.web.LogQuery;
import dev.replog.master.config.SecondaryNode;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import java.time.Duration;
import java.util.function.Supplier;
import dev.replog.common.protocol.ActiveMaster;
import java.util.List;
import java.util.Map;
import dev.replog.common.protocol.Entry;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The master's HTTP client for one secondary's internal endpoints; every call has a timeout.
 *
 * <p>Appends, hundreds a second per secondary, go over Reactor Netty's {@link HttpClient} with the
 * JSON encoded and decoded here: {@link WebClient}'s request building, codecs and observation
 * cost the master more CPU per batch than the batch itself. Heartbeats and recovery reads, a few a
 * second, keep the {@link WebClient} (and with it the cluster secret of {@link ClusterSecretHeader}).
 */
final class SecondaryClient {

    private final SecondaryNode node;
    private final WebClient web;
    private final HttpClient appends;
    private final JsonMapper json;
    private final Duration appendTimeout;
    private final Duration statusTimeout;
    /** This master once it leads (null before): sent with every request, so the secondaries know whom to redirect to. */
    private final Supplier<ActiveMaster> self;
    /** {@link #appends} with {@link ActiveMaster#HEADER} of {@link #leadingAs}; built once per epoch. */
    private volatile HttpClient leaderAppends;
    private volatile ActiveMaster leadingAs;

    SecondaryClient(SecondaryNode node, WebClient.Builder builder, HttpClient http, JsonMapper json,
            ClusterSettings cluster, Duration appendTimeout, Duration statusTimeout, Supplier<ActiveMaster> self) {
        this.node = node;
        this.web = builder.clone().baseUrl(node.url().toString()).build();
        this.appends = http.baseUrl(node.url().toString()).headers(headers -> {
            headers.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
            if (cluster.secured()) {
                headers.set(ClusterSettings.SECRET_HEADER, cluster.secret());
            }
        });
        this.json = json;
        this.appendTimeout = appendTimeout;
        this.statusTimeout = statusTimeout;
        this.self = self;
    }

    /** The append client, with the header naming this master once it leads (one client per epoch, not per request). */
    private HttpClient appendClient() {
        ActiveMaster leading = self.get();
        if (leading == null) {
            return appends;
        }
        HttpClient client = leaderAppends;
        if (client == null || !leading.equals(leadingAs)) {
            client = appends.headers(headers -> headers.set(ActiveMaster.HEADER, leading.headerValue()));
            leaderAppends = client;
            leadingAs = leading;
        }
        return client;
    }

    /** Ships one batch; a 409 is an outcome (the secondary's watermark), other failures errors. */
    Mono<AppendOutcome> append(AppendRequest request) {
        return Mono.fromCallable(() -> json.writeValueAsBytes(request))
                .flatMap(body -> appendClient().post().uri(ReplicationPaths.APPEND)
                        .send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body)))
                        .responseSingle((response, content) -> content.asByteArray()
                                .defaultIfEmpty(new byte[0])
                                .map(answer -> toOutcome(response.status().code(), answer))))
                .timeout(appendTimeout, Mono.error(() ->
                        new DeliveryException("append to " + node.name() + " timed out after " + appendTimeout)));
    }

    /** The secondary's status: the heartbeat. */
    Mono<ReplicationStatus> status() {
        ActiveMaster leading = self.get();
        return web.get().uri(ReplicationPaths.STATUS)
                .headers(headers -> {
                    if (leading != null) {
                        headers.set(ActiveMaster.HEADER, leading.headerValue());
                    }
                })
                .exchangeToMono(response -> response.statusCode().is2xxSuccessful()
                        ? response.bodyToMono(ReplicationStatus.class)
                        : failure(response))
                .timeout(statusTimeout, Mono.error(() ->
                        new DeliveryException("heartbeat to " + node.name() + " timed out after " + statusTimeout)));
    }

    /**
     * Up to {@code limit} entries of the secondary's log from {@code fromSeq}, with their keys
     * (recovery), at most {@link LogQuery#KEYED_PAGE_BYTES} of them (at least one): a page shorter
     * than {@code limit} is not the end of the log.
     */
    Mono<KeyedEntries> read(long fromSeq, int limit) {
        return web.get().uri(uri -> uri.path(ReplicationPaths.ENTRIES).queryParam("from", fromSeq)
                        .queryParam("limit", limit).queryParam("maxBytes", LogQuery.KEYED_PAGE_BYTES).build())
                .retrieve()
                .bodyToMono(KeyedEntries.class)
                .timeout(appendTimeout);
    }

    private AppendOutcome toOutcome(int status, byte[] body) {
        if (status >= 200 && status < 300) {
            AppendResponse accepted = json.readValue(body, AppendResponse.class);
            return new AppendOutcome(true, accepted.ackedSeq(), accepted.epoch(), null);
        }
        if (status == HttpStatus.CONFLICT.value()) {
            return refusal(json.readValue(body, Map.class));
        }
        throw new DeliveryException(answered(status, body));
    }

    /**
     * "secondary answered 507: its detail" when the answer is a problem with a detail (a full disk
     * says so there), else "secondary answered 507": what the retry log lines show.
     */
    private String answered(int status, byte[] body) {
        String answered = node.name() + " answered " + status;
        try {
            return json.readValue(body, Map.class).get("detail") instanceof String detail
                    ? answered + ": " + detail
                    : answered;
        } catch (RuntimeException notAProblem) { // an empty or non-JSON body (a proxy's error page)
            return answered;
        }
    }

    private static AppendOutcome refusal(Map<?, ?> problem) {
        return new AppendOutcome(false, number(problem.get("ackedSeq")), number(problem.get("epoch")),
                String.valueOf(problem.get("reason") != null ? problem.get("reason") : problem.get("title")));
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
