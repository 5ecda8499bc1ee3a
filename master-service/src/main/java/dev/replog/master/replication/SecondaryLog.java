package dev.replog.master.replication;

import dev.replog.common.protocol.AppendRequest;
import dev.replog.common.protocol.KeyedEntries;
import dev.replog.common.protocol.ReplicationStatus;
import dev.replog.master.config.SecondaryNode;
import dev.replog.master.log.MessageLog;
import java.util.List;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * One secondary's log as this master reads it outside replication: recovery fences it and reads
 * it, and a replicator compares it with the master's log entry by entry when the two diverge.
 */
public final class SecondaryLog {

    private final SecondaryNode node;
    private final SecondaryClient client;
    private final MessageLog messages;

    SecondaryLog(SecondaryNode node, SecondaryClient client, MessageLog messages) {
        this.node = node;
        this.client = client;
        this.messages = messages;
    }

    /**
     * Recovery's first word to the secondary, before it reads the secondary's log: an empty batch
     * with {@code newEpoch} (after seq 0, so it matches any log and, saying nothing of the master's
     * log's end, rolls nothing back), which the secondary makes durable before it answers and from
     * then on refuses every older master. Then its status, read after that answer: it holds every
     * entry an older master could still have had acknowledged (the secondary answers an append only
     * once everything it applied before is durable), and nothing an older master sends can change it
     * any more. Like a Raft candidate's vote, which carries the voter's log position.
     *
     * @return the status; an error if the secondary is unreachable, fails, or does not follow
     *         {@code newEpoch} (a still newer master fenced it)
     */
    public Mono<ReplicationStatus> fence(long newEpoch) {
        return client.append(new AppendRequest(newEpoch, 0, 0, List.of()))
                .flatMap(outcome -> outcome.accepted()
                        ? client.status()
                        : Mono.error(new DeliveryException(node.name() + " refused epoch " + newEpoch + " ("
                                + outcome.reason() + "): it follows epoch " + outcome.epoch())))
                // a still newer master may have fenced it in between (or it restarted without its
                // data): then this status vouches for nothing
                .flatMap(status -> status.epoch() == newEpoch
                        ? Mono.just(status)
                        : Mono.error(new DeliveryException(node.name() + " follows epoch " + status.epoch()
                                + " right after it took epoch " + newEpoch)));
    }

    /** Up to {@code limit} entries of the secondary's log from {@code fromSeq}, with keys and epochs. */
    public Mono<KeyedEntries> read(long fromSeq, int limit) {
        return client.read(fromSeq, limit);
    }

    /**
     * Whether the secondary's entry at {@code seq} is this master's (the same permanent id): one
     * read of the secondary's log and one of this master's (off the event loop).
     */
    public Mono<Boolean> holdsMastersEntryAt(long seq) {
        return client.read(seq, 1)
                .publishOn(Schedulers.boundedElastic()) // this master's log: file reads
                .map(page -> !page.entries().isEmpty() && page.entries().get(0).seq() == seq
                        && seq <= messages.lastSeq() && page.entries().get(0).id() == messages.store().idAt(seq));
    }
}
