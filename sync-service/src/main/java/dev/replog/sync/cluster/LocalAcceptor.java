package dev.replog.sync.cluster;

import dev.replog.sync.paxos.Acceptor;
import dev.replog.sync.paxos.AcceptorCore;
import dev.replog.sync.paxos.Messages;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * This node's own acceptor, called in-process by its proposer and by {@link AcceptorController}:
 * it answers only while the node votes, and runs the fsyncing core on a blocking-friendly scheduler.
 */
public final class LocalAcceptor implements Acceptor {

    private final String name;
    private final AcceptorCore core;
    private final Membership membership;
    private final Scheduler blocking;

    public LocalAcceptor(String name, AcceptorCore core, Membership membership, Scheduler blocking) {
        this.name = name;
        this.core = core;
        this.membership = membership;
        this.blocking = blocking;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Mono<Messages.Promise> prepare(Messages.Prepare prepare) {
        return whileVoting(() -> core.prepare(prepare));
    }

    @Override
    public Mono<Messages.Accepted> accept(Messages.Accept accept) {
        return whileVoting(() -> core.accept(accept));
    }

    private static <T> T run(Callable<T> call) {
        try {
            return call.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> Mono<T> whileVoting(Callable<T> call) {
        return Mono.defer(() -> {
            Membership.Status status = membership.status();
            if (status != Membership.Status.VOTING) {
                return Mono.error(new NotVotingException(name, status));
            }
            // Not cancellable on purpose: a cancelled subscribeOn task is interrupted, and an
            // interrupt closes the channel in the middle of its fsync.
            return Mono.fromFuture(() -> CompletableFuture.supplyAsync(() -> run(call), blocking::schedule), true);
        });
    }
}
