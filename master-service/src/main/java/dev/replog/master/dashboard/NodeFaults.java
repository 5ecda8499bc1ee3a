package dev.replog.master.dashboard;

import dev.replog.master.config.MasterProperties;
import dev.replog.master.config.SecondaryNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;

/**
 * Reaches a secondary's {@code /faults} on behalf of the dashboard: in compose the browser can
 * reach only the master, not the secondaries' internal host names. Every call is bounded by
 * {@code replog.heartbeat.timeout}: a control call answers as fast as a heartbeat or not at all.
 */
@Component
class NodeFaults {

    private static final String FAULTS = "/faults";

    private final List<SecondaryNode> nodes;
    private final String masterName;
    private final WebClient web;
    private final Duration timeout;

    NodeFaults(List<SecondaryNode> secondaryNodes, MasterProperties properties, WebClient.Builder webClients) {
        this.nodes = secondaryNodes;
        this.masterName = properties.nodeName();
        this.web = webClients.clone().build();
        this.timeout = properties.heartbeat().timeout();
    }

    /** The node's faults in force, as the JSON its {@code GET /faults} answered. */
    Mono<String> current(String name) {
        return call(name, HttpMethod.GET, null);
    }

    /** Forwards a {@code PUT /faults} body; the node validates it and answers the settings now in force. */
    Mono<String> change(String name, String body) {
        return call(name, HttpMethod.PUT, body == null ? "" : body);
    }

    private Mono<String> call(String name, HttpMethod method, String body) {
        return Mono.defer(() -> send(resolve(name), method, body));
    }

    private Mono<String> send(SecondaryNode node, HttpMethod method, String body) {
        String base = node.url().toString().replaceAll("/+$", "");
        WebClient.RequestBodySpec request = web.method(method)
                .uri(base + FAULTS)
                .accept(MediaType.APPLICATION_JSON, MediaType.APPLICATION_PROBLEM_JSON);
        WebClient.RequestHeadersSpec<?> ready = body == null ? request
                : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body);
        return ready.exchangeToMono(response -> answer(node, response))
                .timeout(timeout)
                .onErrorMap(TimeoutException.class, e -> new NodeUnreachableException(node.name(),
                        "no answer within " + timeout.toMillis() + " ms"))
                .onErrorMap(WebClientRequestException.class, e -> new NodeUnreachableException(node.name(),
                        String.valueOf(e.getMostSpecificCause().getMessage())));
    }

    private SecondaryNode resolve(String name) {
        if (masterName.equals(name)) {
            throw new NoFaultSwitchesException(name, "the master has no fault switches");
        }
        return nodes.stream().filter(node -> node.name().equals(name)).findFirst()
                .orElseThrow(() -> new UnknownNodeException(name,
                        nodes.stream().map(SecondaryNode::name).toList()));
    }

    /** 2xx: the settings; 404: a plain secondary; other 4xx: the node refused the change; else 502. */
    private static Mono<String> answer(SecondaryNode node, ClientResponse response) {
        int status = response.statusCode().value();
        if (response.statusCode().is2xxSuccessful()) {
            return response.bodyToMono(String.class);
        }
        if (status == HttpStatus.NOT_FOUND.value()) {
            return response.releaseBody().then(Mono.error(new NoFaultSwitchesException(node.name(),
                    node.name() + " has no /faults: it is not a faulty-secondary")));
        }
        if (response.statusCode().is4xxClientError()) {
            return response.bodyToMono(RemoteProblem.class)
                    .defaultIfEmpty(new RemoteProblem(null))
                    .flatMap(problem -> Mono.error(new FaultsRefusedException(node.name(),
                            HttpStatus.valueOf(status), problem.detail())));
        }
        return response.releaseBody().then(Mono.error(new NodeUnreachableException(node.name(),
                "it answered " + status)));
    }

    /** The part of a node's problem+json answer that is relayed. */
    record RemoteProblem(String detail) {
    }
}
