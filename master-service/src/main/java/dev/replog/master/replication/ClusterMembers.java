package dev.replog.master.replication;

import dev.replog.master.epoch.MasterEpoch;
import dev.replog.master.log.DurabilityListener;
import dev.replog.master.writeconcern.AckTracker;
import dev.replog.master.writeconcern.SupersededException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The secondaries as the master tracks them ({@link Secondary}). Others subscribe to health
 * changes, for example to switch between read-write and read-only. As a {@link DurabilityListener}
 * of the master's log it wakes every replicator when entries become durable.
 *
 * <p>When any replicator learns that a newer master exists, this master steps down at once:
 * every replicator stops, every write-concern wait ends 503 Superseded, and no later answer counts
 * (a secondary that took the newer epoch may be gone, and one that lost its data may still answer
 * in the old epoch: see docs/decisions/0010-epoch-floor.md).
 */
public final class ClusterMembers implements Replicator.Events, DurabilityListener {

    private final List<Secondary> secondaries = new ArrayList<>();
    private final AckTracker tracker;
    private final MasterEpoch epoch;
    private final AtomicBoolean superseded = new AtomicBoolean();
    private final List<Runnable> healthListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<SupersededException.Supersession>> stepDownListeners = new CopyOnWriteArrayList<>();

    ClusterMembers(AckTracker tracker, MasterEpoch epoch) {
        this.tracker = tracker;
        this.epoch = epoch;
    }

    /** Adds a secondary while the members are built (before any other bean sees them). */
    void add(Secondary secondary) {
        secondaries.add(secondary);
    }

    /** Every secondary, in the order of {@code replog.secondaries}. */
    public List<Secondary> secondaries() {
        return List.copyOf(secondaries);
    }

    /** How many secondaries there are: n - 1. */
    public int size() {
        return secondaries.size();
    }

    /** New entries are durable in the master's log: every replicator ships them (or lingers for more). */
    @Override
    public void durableUpTo(long seq) {
        secondaries.forEach(secondary -> secondary.replicator().wake());
    }

    /**
     * A writer waits until secondaries hold {@code seq}: every replicator ships up to it without
     * lingering.
     */
    public void awaited(long seq) {
        secondaries.forEach(secondary -> secondary.replicator().wakeFor(seq));
    }

    /** This master has taken its epoch and leads: every replicator starts shipping. */
    public void startShipping() {
        secondaries.forEach(secondary -> secondary.replicator().wake());
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
        stepDown(SupersededException.Supersession.byEpoch(by.node().name(), newerEpoch, epoch.value()));
    }

    /**
     * This master no longer leads ({@code by} says how it knows): every wait ends 503 Superseded,
     * every replicator stops, and the listeners of {@link #onStepDown} hear it; once.
     */
    public void stepDown(SupersededException.Supersession by) {
        if (!superseded.compareAndSet(false, true)) {
            return;
        }
        // the tracker first: from this instant no answer completes a wait, whatever a replicator does
        tracker.supersede(by);
        secondaries.forEach(secondary -> secondary.replicator().stop());
        healthChanged();
        stepDownListeners.forEach(listener -> listener.accept(by));
    }

    /** {@code listener} hears the first {@link #stepDown}, however this master learned it no longer leads. */
    public void onStepDown(Consumer<SupersededException.Supersession> listener) {
        stepDownListeners.add(listener);
    }

    /** Whether this master has stepped down. */
    public boolean steppedDown() {
        return superseded.get();
    }
}
