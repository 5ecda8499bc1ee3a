package dev.replog.sync.cluster;

import dev.replog.sync.paxos.AcceptorCore;
import dev.replog.sync.paxos.Ballot;
import dev.replog.sync.paxos.Messages;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** The internal acceptor endpoints other sync nodes call. */
@RestController
@RequestMapping("/paxos")
class AcceptorController {

    private final LocalAcceptor acceptor;
    private final AcceptorCore core;
    private final Membership membership;

    AcceptorController(LocalAcceptor acceptor, AcceptorCore core, Membership membership) {
        this.acceptor = acceptor;
        this.core = core;
        this.membership = membership;
    }

    @PostMapping("/prepare")
    Mono<Messages.Promise> prepare(@RequestBody Messages.Prepare prepare) {
        return acceptor.prepare(prepare);
    }

    @PostMapping("/accept")
    Mono<Messages.Accepted> accept(@RequestBody Messages.Accept accept) {
        return acceptor.accept(accept);
    }

    /**
     * Raises this node's generation floor (asked by a node that re-joins). Answered whether or not
     * this node votes: a higher floor only ever makes it refuse more.
     */
    @PostMapping("/fence")
    Mono<Ballot> fence(@RequestBody Ballot floor) {
        // not cancellable, like the acceptor calls: an interrupt would close the channel mid-fsync
        return Mono.fromFuture(() -> CompletableFuture.supplyAsync(() -> core.fence(floor),
                Schedulers.boundedElastic()::schedule), true);
    }

    @GetMapping("/state-summary")
    Messages.StateSummary summary() {
        return membership.summary();
    }

    @GetMapping("/keys")
    List<String> keys() {
        return core.keys();
    }
}
