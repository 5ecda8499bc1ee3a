package dev.replog.sync.cluster;

import dev.replog.sync.paxos.Acceptor;
import dev.replog.sync.paxos.Ballot;
import dev.replog.sync.paxos.Messages;
import java.util.List;
import reactor.core.publisher.Mono;

/** Another sync node as a re-joining node sees it: an acceptor that also tells what it holds and can be fenced. */
public interface Peer extends Acceptor {

    /** What the peer holds ({@code GET /paxos/state-summary}). */
    Mono<Messages.StateSummary> summary();

    /** Every key the peer holds state for ({@code GET /paxos/keys}). */
    Mono<List<String>> keys();

    /**
     * Raises the peer's generation floor to at least {@code floor}, durably, and answers the floor
     * in force ({@code POST /paxos/fence}); from then on the peer refuses every ballot below it.
     */
    Mono<Ballot> fence(Ballot floor);
}
