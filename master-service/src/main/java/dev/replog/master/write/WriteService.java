package dev.replog.master.write;

import dev.replog.common.protocol.Entry;
import dev.replog.common.protocol.WriteConcern;
import dev.replog.common.web.BadRequestException;
import dev.replog.master.cluster.ClusterView;
import dev.replog.master.log.MessageLog;
import dev.replog.master.replication.ClusterMembers;
import dev.replog.master.writeconcern.AckTracker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * The master's write path: check the cluster takes writes, append (seq, id, durable here; the log
 * tells the ack tracker and the replicators), ask the replicators not to linger when secondaries
 * must hold the entry, then wait, without holding a thread, until {@code w} nodes hold it.
 */
@Service
public class WriteService {

    private final MessageLog messages;
    private final AckTracker tracker;
    private final ClusterMembers members;
    private final ClusterView cluster;
    private final MeterRegistry meters;
    private final Map<Integer, Timer> waitTimers = new ConcurrentHashMap<>();

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
            int required = requiredNodes(command.w());
            cluster.requireWritable();
            return messages.append(command.message(), command.idempotencyKey())
                    .doOnNext(appended -> awaitedBySecondaries(appended.entry().seq(), required))
                    .flatMap(appended -> awaitConcern(appended.entry().seq(), required, command.timeout())
                            .map(acks -> new WriteResult(appended.entry().seq(), appended.entry().id(), required, acks,
                                    appended.replay())));
        });
    }

    /**
     * Appends the messages as consecutive entries and completes once {@code w} nodes hold the whole
     * batch: the write concern of its last entry, as every node holds a prefix of the log.
     */
    public Mono<BatchResult> writeBatch(BatchCommand command) {
        return Mono.defer(() -> {
            int required = requiredNodes(command.w());
            cluster.requireWritable();
            return messages.appendAll(command.messages(), command.idempotencyKey())
                    .doOnNext(appended -> awaitedBySecondaries(appended.last().seq(), required))
                    .flatMap(appended -> awaitConcern(appended.last().seq(), required, command.timeout())
                            .map(acks -> new BatchResult(appended.first().seq(), appended.last().seq(),
                                    appended.entries().stream().map(Entry::id).toList(), required, acks,
                                    appended.replay())));
        });
    }

    /**
     * A write that needs secondaries waits on them for {@code seq}: the replicators ship it without
     * lingering (the log already told them the entry is durable; that may linger).
     */
    private void awaitedBySecondaries(long seq, int required) {
        if (required > 1) {
            members.awaited(seq);
        }
    }

    private int requiredNodes(WriteConcern w) {
        try {
            return w.required(cluster.clusterSize());
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
    }

    /** The acks once {@code required} nodes hold {@code seq}, or a 504 once {@code timeout} passed. */
    private Mono<Integer> awaitConcern(long seq, int required, Duration timeout) {
        Timer.Sample sample = Timer.start(meters);
        Mono<Integer> acks = tracker.awaitAcks(seq, required);
        if (timeout != null) {
            acks = acks.timeout(timeout, Mono.error(() -> new WriteTimeoutException(
                    seq, tracker.acks(seq), required, timeout.toMillis())));
        }
        return acks.doOnNext(count -> sample.stop(waitTimer(required)));
    }

    /** Registered once per w: a registry lookup on every write is a measurable share of its CPU. */
    private Timer waitTimer(int w) {
        return waitTimers.computeIfAbsent(w, required -> Timer.builder("replog.write.concern.wait")
                .description("Time from append until the write concern was met")
                .tag("w", Integer.toString(required))
                .publishPercentileHistogram()
                .register(meters));
    }
}
