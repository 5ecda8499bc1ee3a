package dev.replog.common.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

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
 *
 * <p>{@code keys} maps the seq of each entry a client wrote with an {@code Idempotency-Key} to that
 * key (omitted when none): the secondaries store it with the entry, so a master that lost its disk
 * and recovers its log from them still recognises a retried request.
 *
 * <p>{@code epochs} maps the seq of each entry that an older master wrote (one this master adopted
 * in its recovery) to that master's epoch (omitted when none: every entry was written in
 * {@code epoch}). The secondaries store each entry with the epoch that wrote it, never the epoch of
 * the master that happened to ship it: a log's last entry then tells how up to date the log is
 * (see docs/decisions/0009-up-to-date-rule.md).
 */
public record AppendRequest(long epoch, long prevSeq, long prevId, List<Entry> entries, Long masterLastSeq,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<Long, String> keys,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<Long, Long> epochs) {

    /** Longest idempotency key a client may send (the master's API checks it first). */
    public static final int MAX_KEY_CHARS = 128;

    /** A batch that says nothing about the master's log beyond it. */
    public AppendRequest(long epoch, long prevSeq, long prevId, List<Entry> entries) {
        this(epoch, prevSeq, prevId, entries, null);
    }

    /** A batch of entries written without idempotency keys. */
    public AppendRequest(long epoch, long prevSeq, long prevId, List<Entry> entries, Long masterLastSeq) {
        this(epoch, prevSeq, prevId, entries, masterLastSeq, Map.of());
    }

    /** A batch of entries all written in {@code epoch}. */
    public AppendRequest(long epoch, long prevSeq, long prevId, List<Entry> entries, Long masterLastSeq,
            Map<Long, String> keys) {
        this(epoch, prevSeq, prevId, entries, masterLastSeq, keys, Map.of());
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
        keys = keys == null ? Map.of() : keys;
        for (Map.Entry<Long, String> key : keys.entrySet()) {
            if (key.getKey() == null || key.getKey() <= prevSeq || key.getKey() > prevSeq + entries.size()) {
                throw new IllegalArgumentException("keys names seq " + key.getKey() + ", which is not in the batch");
            }
            if (key.getValue() == null || key.getValue().isEmpty() || key.getValue().length() > MAX_KEY_CHARS) {
                throw new IllegalArgumentException("the key of seq " + key.getKey() + " must have 1.."
                        + MAX_KEY_CHARS + " characters");
            }
        }
        keys = Map.copyOf(keys);
        epochs = epochs == null ? Map.of() : epochs;
        for (Map.Entry<Long, Long> written : epochs.entrySet()) {
            if (written.getKey() == null || written.getKey() <= prevSeq || written.getKey() > prevSeq + entries.size()) {
                throw new IllegalArgumentException("epochs names seq " + written.getKey() + ", which is not in the batch");
            }
            if (written.getValue() == null || written.getValue() < 0 || written.getValue() > epoch) {
                throw new IllegalArgumentException("the epoch of seq " + written.getKey() + " must be 0.." + epoch
                        + " (no entry is written by a master newer than the one shipping it)");
            }
        }
        epochs = Map.copyOf(epochs);
    }

    /** The epoch of the master that wrote the entry at {@code seq}: {@link #epochs}' or the batch's. */
    public long epochAt(long seq) {
        Long written = epochs.get(seq);
        return written == null ? epoch : written;
    }

    /** The idempotency key the entry at {@code seq} was written with, {@code ""} when none. */
    public String keyAt(long seq) {
        return keys.getOrDefault(seq, "");
    }

    /** The seq of the last entry in the batch, or {@code prevSeq} for an empty batch. */
    public long lastSeq() {
        return prevSeq + entries.size();
    }
}
