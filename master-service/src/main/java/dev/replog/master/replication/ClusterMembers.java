package dev.replog.master.replication;

import dev.replog.master.log.MasterEpoch;
import dev.replog.master.writeconcern.AckTracker;
import dev.replog.master.writeconcern.SupersededException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The secondaries as the master tracks them: their replicators (watermark, health) and clients.
 * Others subscribe to health changes, for example to switch between read-write and read-only.
 *
 * <p>When any replicator learns that a newer master exists, this master steps down at once:
 * every replicator stops, every write-concern wait ends 503 Superseded, and no later answer counts
 * (a secondary that took the newer epoch may be gone, and one that lost its data may still answer
 * in the old epoch: see docs/decisions/0010-epoch-floor.md).
 */
public final class ClusterMembers implements Replicator.Events {

    private final List<Replicator> replicators;
    private final List<SecondaryClient> clients;
    private final AckTracker tracker;
    private final MasterEpoch epoch;
    private final AtomicBoolean superseded = new AtomicBoolean();
    private final List<Runnable> healthListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> appendListeners = new CopyOnWriteArrayList<>();

    ClusterMembers(List<Replicator> replicators, List<SecondaryClient> clients, AckTracker tracker, MasterEpoch epoch) {
        this.replicators = replicators;
        this.clients = clients;
        this.tracker = tracker;
        this.epoch = epoch;
    }

    public List<Replicator> replicators() {
        return replicators;
    }

    List<SecondaryClient> clients() {
        return clients;
    }

    /**
     * New entries are durable in the log and no writer waits on a secondary for them: wakes every
     * replicator (which may linger for a bigger batch), then tells the listeners.
     */
    public void entriesAppended() {
        entriesAppended(0);
    }

    /**
     * New entries are durable in the log and a writer waits until secondaries hold {@code awaitedSeq}
     * (0: none does): wakes every replicator, then tells the listeners.
     */
    public void entriesAppended(long awaitedSeq) {
        for (Replicator replicator : replicators) {
            if (awaitedSeq > 0) {
                replicator.wakeFor(awaitedSeq);
            } else {
                replicator.wake();
            }
        }
        appendListeners.forEach(Runnable::run);
    }

    /** Called after new entries became durable in the master's log. */
    public void onEntriesAppended(Runnable listener) {
        appendListeners.add(listener);
    }

    public void onHealthChange(Runnable listener) {
        healthListeners.add(listener);
    }

    @Override
    public void healthChanged() {
        healthListeners.forEach(Runnable::run);
    }

    /** The first word of a newer master, from any replicator: stop everything, end every wait, once. */
    @Override
    public void superseded(Replicator by, long newerEpoch) {
        if (!superseded.compareAndSet(false, true)) {
            return;
        }
        // the tracker first: from this instant no answer completes a wait, whatever a replicator does
        tracker.supersede(new SupersededException.Supersession(by.node().name(), newerEpoch, epoch.value()));
        replicators.forEach(Replicator::stop);
        healthChanged();
    }
}
