package dev.replog.secondary.replication;

import dev.replog.common.protocol.EpochSequence;
import java.time.Duration;
import java.util.List;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The newest epoch from the sync cluster ({@code replog.sync.nodes}): masters take their epochs as
 * ranges of the sequence {@value EpochSequence#NAME}, so its {@code next} minus one is the newest
 * epoch taken. {@code GET /sequences/{name}} is a linearizable read, so no epoch taken before the
 * answer is missed. Tries the nodes one after another, each with a timeout.
 */
final class SyncEpochFloor implements EpochFloor {

    private final List<String> urls;
    private final List<WebClient> nodes;
    private final Duration timeout;

    SyncEpochFloor(List<String> urls, WebClient.Builder builder, Duration timeout) {
        this.urls = List.copyOf(urls);
        this.nodes = urls.stream().map(url -> builder.clone().baseUrl(url).build()).toList();
        this.timeout = timeout;
    }

    @Override
    public boolean configured() {
        return !nodes.isEmpty();
    }

    @Override
    public Mono<Long> newestEpoch() {
        return Flux.fromIterable(nodes)
                .concatMap(node -> node.get().uri("/sequences/{name}", EpochSequence.NAME)
                        .retrieve()
                        .bodyToMono(JsonNode.class)
                        .timeout(timeout)
                        .map(SyncEpochFloor::newestTaken)
                        .onErrorResume(error -> Mono.empty()), 1)
                .next()
                .switchIfEmpty(Mono.error(() -> new IllegalStateException("no sync node answered " + urls)));
    }

    private static long newestTaken(JsonNode sequence) {
        long next = sequence.path("next").asLong(-1);
        if (next < 1) {
            throw new IllegalStateException("the sync cluster answered no next epoch: " + sequence);
        }
        return next - 1;
    }

    @Override
    public String describe() {
        return "the sync cluster " + urls + ", sequence " + EpochSequence.NAME;
    }
}
