package dev.replog.master.replication;

import java.time.Duration;
import java.util.List;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Sends every secondary a heartbeat ({@code GET /replication/status}) each interval, starting at
 * once. A beat still unanswered when the next is due is not doubled: ticks are dropped until it
 * ends, and its own timeout makes it count as missed.
 */
final class Heartbeats implements SmartLifecycle {

    private final List<Secondary> secondaries;
    private final Duration interval;
    private Disposable.Composite running;

    Heartbeats(List<Secondary> secondaries, Duration interval) {
        this.secondaries = List.copyOf(secondaries);
        this.interval = interval;
    }

    @Override
    public synchronized void start() {
        running = Disposables.composite();
        secondaries.forEach(secondary -> running.add(beat(secondary.replicator(), secondary.client())));
    }

    private Disposable beat(Replicator replicator, SecondaryClient client) {
        return Flux.interval(Duration.ZERO, interval)
                .onBackpressureDrop()
                .concatMap(tick -> Mono.defer(() -> {
                    long mark = replicator.heartbeatSent();
                    return client.status()
                            // the answer is checked against the log on disk: not on the event loop
                            .publishOn(Schedulers.boundedElastic())
                            .doOnNext(status -> replicator.onHeartbeat(status, mark))
                            .doOnError(replicator::onMissedHeartbeat)
                            .onErrorResume(error -> Mono.empty());
                }), 0)
                .subscribe();
    }

    @Override
    public synchronized void stop() {
        if (running != null) {
            running.dispose();
            running = null;
        }
        secondaries.forEach(secondary -> secondary.replicator().stop());
    }

    @Override
    public synchronized boolean isRunning() {
        return running != null;
    }
}
