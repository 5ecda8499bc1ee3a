package dev.replog.sync.cluster;

import dev.replog.sync.paxos.AcceptorCore;
import dev.replog.sync.paxos.Messages;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

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

    @GetMapping("/state-summary")
    Messages.StateSummary summary() {
        return membership.summary();
    }

    @GetMapping("/keys")
    List<String> keys() {
        return core.keys();
    }
}
