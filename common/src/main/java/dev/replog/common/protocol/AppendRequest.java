package dev.replog.common.protocol;

import java.util.List;

/**
 * A batch of consecutive entries shipped from the master to one secondary
 * ({@code POST /replication/append}).
 *
 * <p>{@code prevSeq}/{@code prevId} name the entry just before the batch (0/0 before the first
 * entry) so the secondary can check that the batch continues its own log (log matching). The
 * {@code epoch} is the sending master's; a secondary refuses epochs lower than one it has seen.
 *
 * <p>{@code masterLastSeq}, when present, is the last seq of the master's log when it sent the
 * batch: a secondary whose log matches the batch but holds entries past that seq (left there by an
 * older master) rolls them back, so no node ever shows entries the master's log lacks.
 */
public record AppendRequest(long epoch, long prevSeq, long prevId, List<Entry> entries, Long masterLastSeq) {

    /** A batch that says nothing about the master's log beyond it. */
    public AppendRequest(long epoch, long prevSeq, long prevId, List<Entry> entries) {
        this(epoch, prevSeq, prevId, entries, null);
    }

    public AppendRequest {
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch must be >= 1, was " + epoch);
        }
        if (prevSeq < 0 || prevId < 0) {
            throw new IllegalArgumentException("prevSeq and prevId must be >= 0");
        }
        if ((prevSeq == 0) != (prevId == 0)) {
            throw new IllegalArgumentException("prevSeq and prevId are both 0 or both positive");
        }
        entries = List.copyOf(entries == null ? List.of() : entries);
        if (masterLastSeq != null && masterLastSeq < prevSeq + entries.size()) {
            throw new IllegalArgumentException("masterLastSeq " + masterLastSeq + " is before the batch's last seq "
                    + (prevSeq + entries.size()));
        }
        long expected = prevSeq + 1;
        long previousId = prevId;
        for (Entry entry : entries) {
            if (entry.seq() != expected) {
                throw new IllegalArgumentException(
                        "entries must be consecutive after prevSeq: expected seq " + expected + ", got " + entry.seq());
            }
            if (entry.id() <= previousId) {
                throw new IllegalArgumentException("ids must strictly increase with seq at seq " + entry.seq());
            }
            expected++;
            previousId = entry.id();
        }
    }

    /** The seq of the last entry in the batch, or {@code prevSeq} for an empty batch. */
    public long lastSeq() {
        return prevSeq + entries.size();
    }
}
