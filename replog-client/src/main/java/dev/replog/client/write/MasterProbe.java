package dev.replog.client.write;

import dev.replog.client.error.UnavailableException;
import dev.replog.client.http.Answer;
import dev.replog.client.http.Json;
import dev.replog.client.http.NodeHealth;
import dev.replog.client.http.Nodes;
import dev.replog.client.http.Transport;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Finds the active master through {@code GET /health}: the last known master first, then every
 * other node. A node's {@code "activeMaster": {"url", "epoch"}} is followed when present (never
 * required: a master that does not show it names itself by answering with its {@code mode}; one
 * whose mode is STANDBY or whose {@code role} is STANDBY or DEPOSED is not the active master).
 * What it finds becomes the writer's first choice.
 */
public final class MasterProbe {

    private final Transport transport;
    private final List<URI> nodes;
    private final MasterWriter writer;

    public MasterProbe(Transport transport, List<URI> nodes, MasterWriter writer) {
        this.transport = transport;
        this.nodes = List.copyOf(nodes);
        this.writer = writer;
    }

    /** The active master and its mode, or {@link UnavailableException} when no node shows one. */
    public Mono<ActiveMaster> find(Duration timeout) {
        List<URI> order = new ArrayList<>();
        order.add(writer.lastKnownMaster());
        nodes.stream().filter(node -> !order.contains(node)).forEach(order::add);
        return Flux.fromIterable(order)
                .concatMap(node -> ask(node, timeout, true).onErrorResume(error -> Mono.empty()), 1)
                .next()
                .doOnNext(found -> writer.knownMaster(found.url()))
                .switchIfEmpty(Mono.error(() -> new UnavailableException(0, "No master found",
                        "none of " + order + " showed an active master on GET /health", false, null)));
    }

    private Mono<ActiveMaster> ask(URI node, Duration timeout, boolean follow) {
        return transport.get(node, "/health", timeout).flatMap(answer -> read(node, answer, timeout, follow));
    }

    private Mono<ActiveMaster> read(URI node, Answer answer, Duration timeout, boolean follow) {
        if (answer.status() != 200) {
            return Mono.empty();
        }
        JsonNode health = Json.tree(answer.body());
        String url = health.path("activeMaster").path("url").asString("");
        long epoch = health.path("activeMaster").path("epoch").asLong(health.path("epoch").asLong(-1));
        if (!url.isEmpty() && !"self".equals(url)) {
            URI master = Nodes.redirectTarget(node, url, "");
            if (!master.equals(node)) {
                // the master's own /health says its mode; the other node only names it
                return follow ? ask(master, timeout, false)
                        .defaultIfEmpty(new ActiveMaster(master, epoch, null))
                        .onErrorReturn(new ActiveMaster(master, epoch, null))
                        : Mono.just(new ActiveMaster(master, epoch, null));
            }
        }
        String mode = health.path("mode").asString("");
        // a standby or deposed master shows a mode too, but takes no writes
        if (mode.isEmpty() || NodeHealth.inactiveMaster(health)) {
            return Mono.empty();
        }
        return Mono.just(new ActiveMaster(node, health.path("epoch").asLong(epoch), mode));
    }
}
