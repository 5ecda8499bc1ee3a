package dev.replog.sync.cluster;

import dev.replog.sync.paxos.Ballot;
import dev.replog.sync.paxos.Messages;
import java.time.Duration;
import java.util.List;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/** Another sync node's acceptor, over HTTP ({@code /paxos/*}). Any non-2xx answer is an error. */
public final class HttpPeer implements Peer {

    private static final ParameterizedTypeReference<List<String>> KEYS = new ParameterizedTypeReference<>() {
    };

    private final String name;
    private final WebClient client;
    private final Duration timeout;

    public HttpPeer(String name, WebClient client, Duration timeout) {
        this.name = name;
        this.client = client;
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Mono<Messages.Promise> prepare(Messages.Prepare prepare) {
        return client.post().uri("/paxos/prepare").bodyValue(prepare)
                .retrieve().bodyToMono(Messages.Promise.class);
    }

    @Override
    public Mono<Messages.Accepted> accept(Messages.Accept accept) {
        return client.post().uri("/paxos/accept").bodyValue(accept)
                .retrieve().bodyToMono(Messages.Accepted.class);
    }

    @Override
    public Mono<Messages.StateSummary> summary() {
        return client.get().uri("/paxos/state-summary")
                .retrieve().bodyToMono(Messages.StateSummary.class).timeout(timeout);
    }

    @Override
    public Mono<List<String>> keys() {
        return client.get().uri("/paxos/keys").retrieve().bodyToMono(KEYS).timeout(timeout.multipliedBy(10));
    }

    @Override
    public Mono<Ballot> fence(Ballot floor) {
        return client.post().uri("/paxos/fence").bodyValue(floor)
                .retrieve().bodyToMono(Ballot.class).timeout(timeout);
    }
}
