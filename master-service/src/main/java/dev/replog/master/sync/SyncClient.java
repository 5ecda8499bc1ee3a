package dev.replog.master.sync;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * The master's client of the sync-service cluster ({@code replog.sync.nodes}). Any node answers for
 * the cluster, so a call tries the nodes one after another, starting at a random one, each with a
 * timeout, until one answers; a node that answers 503 (it has no majority) counts as a failure.
 * A 4xx answer is a bug on our side and fails the call at once.
 */
public final class SyncClient {

    /** A range of a named sequence, {@code from..to} inclusive. */
    public record Range(String name, long from, long to) {
        public long size() {
            return to - from + 1;
        }
    }

    private final List<String> urls;
    private final List<WebClient> nodes;
    private final Duration timeout;

    public SyncClient(List<String> urls, WebClient.Builder builder, Duration timeout) {
        this.urls = List.copyOf(urls);
        this.nodes = urls.stream().map(url -> builder.clone().baseUrl(URI.create(url).toString()).build()).toList();
        this.timeout = timeout;
    }

    public List<String> urls() {
        return urls;
    }

    /** Takes the next range of {@code size} numbers of the sequence {@code name}. */
    public Mono<Range> range(String name, long size) {
        if (nodes.isEmpty()) {
            return Mono.error(new SyncUnavailableException("no sync nodes configured (replog.sync.nodes)"));
        }
        int start = ThreadLocalRandom.current().nextInt(nodes.size());
        return Mono.defer(() -> attempt(name, size, start, 0, new ArrayList<>()));
    }

    private Mono<Range> attempt(String name, long size, int start, int tried, List<String> failures) {
        int index = (start + tried) % nodes.size();
        String url = urls.get(index);
        return nodes.get(index).post().uri("/sequences/{name}/ranges", name)
                .contentType(MediaType.APPLICATION_JSON)
                .accept(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("size", size))
                .exchangeToMono(response -> toRange(response, name, size, url))
                .timeout(timeout, Mono.error(() -> new SyncUnavailableException("timed out after " + timeout)))
                .onErrorResume(error -> !(error instanceof SyncRefusedException), error -> {
                    failures.add(url + ": " + describe(error));
                    if (tried + 1 < nodes.size()) {
                        return attempt(name, size, start, tried + 1, failures);
                    }
                    return Mono.error(new SyncUnavailableException("no sync node gave a range of " + name + " ("
                            + String.join("; ", failures) + ")"));
                });
    }

    private static Mono<Range> toRange(ClientResponse response, String name, long size, String url) {
        int status = response.statusCode().value();
        if (response.statusCode().is2xxSuccessful()) {
            return response.bodyToMono(Range.class)
                    .switchIfEmpty(Mono.error(() -> new SyncUnavailableException("empty answer")))
                    .flatMap(range -> valid(range, name, size)
                            ? Mono.just(range)
                            : Mono.error(new SyncRefusedException(url + " answered a bad range " + range + " for size "
                                    + size)));
        }
        if (response.statusCode().is4xxClientError()) {
            return response.bodyToMono(String.class).defaultIfEmpty("")
                    .flatMap(body -> Mono.error(new SyncRefusedException(url + " refused a range of " + name + " (size "
                            + size + "): " + status + " " + body)));
        }
        return response.releaseBody().then(Mono.error(new SyncUnavailableException("answered " + status)));
    }

    private static boolean valid(Range range, String name, long size) {
        return range.from() >= 1 && range.to() >= range.from() && range.size() == size
                && (range.name() == null || range.name().equals(name));
    }

    private static String describe(Throwable error) {
        String message = error.getMessage();
        return message == null ? error.getClass().getSimpleName() : message;
    }

    /** The sync cluster answered, but refused the request or answered nonsense: retrying will not help. */
    public static final class SyncRefusedException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        SyncRefusedException(String message) {
            super(message);
        }
    }
}
