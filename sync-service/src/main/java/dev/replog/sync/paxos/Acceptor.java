package dev.replog.sync.paxos;

import reactor.core.publisher.Mono;

/**
 * One acceptor as a proposer sees it: the node itself, or a peer over HTTP. A call that fails or
 * times out tells nothing: the acceptor may or may not have acted on it.
 */
public interface Acceptor {

    /** A short name for logs and errors. */
    String name();

    Mono<Messages.Promise> prepare(Messages.Prepare prepare);

    Mono<Messages.Accepted> accept(Messages.Accept accept);
}
