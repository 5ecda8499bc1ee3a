package dev.replog.sync.lock;

import java.util.ArrayList;
import java.util.List;

/**
 * The value of one lock's CASPaxos register.
 *
 * @param holder    the owner of the current or last lease, or {@code null}
 * @param token     the fencing token of that lease
 * @param expiresAt when that lease ends (epoch milliseconds; 0 once released, holder and token
 *                  kept so that a release applied twice answers the same)
 * @param lastToken the highest token ever granted: the next grant takes {@code lastToken + 1}
 * @param queue     owners waiting, first come first served; each entry lapses at its {@code until}
 *                  unless its waiter polls again
 * @param granted   the last {@link #REMEMBERED_OPERATIONS} acquires that carried an operation id
 *                  and were granted (or renewed), so that a copy of one decided later (a forwarded
 *                  acquire that also ran on the forwarding node) is recognised and grants nothing
 */
record LockState(String holder, long token, long expiresAt, long lastToken, List<Waiter> queue,
        List<GrantedOperation> granted) {

    static final int REMEMBERED_OPERATIONS = 16;
    static final LockState FREE = new LockState(null, 0, 0, 0, List.of(), List.of());

    LockState {
        queue = queue == null ? List.of() : List.copyOf(queue);
        granted = granted == null ? List.of() : List.copyOf(granted); // null: a value written before they were kept
    }

    /** An acquire, by its operation id and owner, and the token it was granted. */
    record GrantedOperation(String id, String owner, long token) {
    }

    /** One waiting owner; dropped from the queue after {@code until} (epoch milliseconds). */
    record Waiter(String owner, long until) {
    }

    boolean heldAt(long now) {
        return holder != null && expiresAt > now;
    }

    LockState withQueue(List<Waiter> next) {
        return new LockState(holder, token, expiresAt, lastToken, next, granted);
    }

    /** The grant an earlier copy of operation {@code id} by {@code owner} got; null if none did. */
    GrantedOperation grantedTo(String id, String owner) {
        if (id == null) {
            return null;
        }
        for (GrantedOperation operation : granted) {
            if (operation.id().equals(id) && operation.owner().equals(owner)) {
                return operation;
            }
        }
        return null;
    }

    /** This state with operation {@code id} remembered as granted {@code token} (the oldest forgotten). */
    LockState remembering(String id, String owner) {
        if (id == null) {
            return this;
        }
        List<GrantedOperation> next = new ArrayList<>(granted);
        next.add(new GrantedOperation(id, owner, token));
        if (next.size() > REMEMBERED_OPERATIONS) {
            next.remove(0);
        }
        return new LockState(holder, token, expiresAt, lastToken, queue, next);
    }

    List<Waiter> liveQueue(long now) {
        return queue.stream().filter(w -> w.until() > now).toList();
    }

    static List<Waiter> without(List<Waiter> queue, String owner) {
        return queue.stream().filter(w -> !w.owner().equals(owner)).toList();
    }

    static List<Waiter> refreshed(List<Waiter> queue, String owner, long until) {
        List<Waiter> next = new ArrayList<>(queue.size() + 1);
        boolean present = false;
        for (Waiter w : queue) {
            if (w.owner().equals(owner)) {
                next.add(new Waiter(owner, until));
                present = true;
            } else {
                next.add(w);
            }
        }
        if (!present) {
            next.add(new Waiter(owner, until));
        }
        return next;
    }
}
