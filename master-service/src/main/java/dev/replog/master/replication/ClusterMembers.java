package dev.replog.master.replication;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The secondaries as the master tracks them: their replicators (watermark, health) and clients.
 * Others subscribe to health changes, for example to switch between read-write and read-only.
 */
public final class ClusterMembers {

    private final List<Replicator> replicators;
    private final List<SecondaryClient> clients;
    private final List<Runnable> healthListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> appendListeners = new CopyOnWriteArrayList<>();

    ClusterMembers(List<Replicator> replicators, List<SecondaryClient> clients) {
        this.replicators = replicators;
        this.clients = clients;
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

    void healthChanged() {
        healthListeners.forEach(Runnable::run);
    }
}
