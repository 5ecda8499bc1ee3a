package dev.replog.master.write;

import dev.replog.common.web.BadRequestException;
import dev.replog.master.cluster.ClusterView;
import dev.replog.master.log.Appended;
import dev.replog.master.log.MessageLog;
import dev.replog.master.replication.ClusterMembers;
import dev.replog.master.writeconcern.AckTracker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * The master's write path: check the cluster takes writes, append (seq, id, durable here), wake
 * the replicators, then wait, without holding a thread, until {@code w} nodes hold the entry.
 */
@Service
public class WriteService {

    private final MessageLog messages;
    private final AckTracker tracker;
    private final ClusterMembers members;
    private final ClusterView cluster;
    private final MeterRegistry meters;

    public WriteService(MessageLog messages, AckTracker tracker, ClusterMembers members, ClusterView cluster,
            MeterRegistry meters) {
        this.messages = messages;
        this.tracker = tracker;
        this.members = members;
        this.cluster = cluster;
        this.meters = meters;
    }

    /** Appends the message and completes once the write concern is met. */
    public Mono<WriteResult> write(WriteCommand command) {
        return Mono.defer(() -> {
            int required = requiredNodes(command);
            cluster.requireWritable();
            return messages.append(command.message(), command.idempotencyKey())
                    .doOnNext(appended -> members.entriesAppended())
                    .flatMap(appended -> awaitConcern(appended, required, command));
        });
    }

    private int requiredNodes(WriteCommand command) {
        try {
            return command.w().required(cluster.clusterSize());
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
    }

    private Mono<WriteResult> awaitConcern(Appended appended, int required, WriteCommand command) {
        long seq = appended.entry().seq();
        Timer.Sample sample = Timer.start(meters);
        Mono<Integer> acks = tracker.awaitAcks(seq, required);
        if (command.timeout() != null) {
            acks = acks.timeout(command.timeout(), Mono.error(() -> new WriteTimeoutException(
                    seq, tracker.acks(seq), required, command.timeout().toMillis())));
        }
        return acks
                .doOnNext(count -> sample.stop(waitTimer(required)))
                .map(count -> new WriteResult(seq, appended.entry().id(), required, count, appended.replay()));
    }

    private Timer waitTimer(int w) {
        return Timer.builder("replog.write.concern.wait")
                .description("Time from append until the write concern was met")
                .tag("w", Integer.toString(w))
                .publishPercentileHistogram()
                .register(meters);
    }
}
