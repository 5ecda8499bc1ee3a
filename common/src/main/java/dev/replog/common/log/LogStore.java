package dev.replog.common.log;

import dev.replog.common.protocol.Entry;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * An append-only log of {@link Entry entries} indexed by {@code seq}, the one storage contract of
 * every node.
 *
 * <p>Exactly one writer calls {@link #append} and {@link #truncateAfter}, one call at a time;
 * readers may call the read methods concurrently from any thread and never block the writer for
 * long. A store decides what "durable" means (an fsync for the file store, nothing for the
 * in-memory store): {@link #append}'s future completes only once the entries are durable, and
 * {@link #durableSeq()} never runs ahead of that.
 */
public interface LogStore extends AutoCloseable {

    /** The seq of the last appended entry, durable or not; 0 when empty. */
    long lastSeq();

    /** The seq up to which every entry is durable; {@code <= lastSeq()}. */
    long durableSeq();

    /** The entry at {@code seq}, if the log holds it. */
    Optional<Entry> get(long seq);

    /** Up to {@code limit} consecutive entries starting at {@code fromSeq} (empty past the end). */
    default List<Entry> read(long fromSeq, int limit) {
        return read(fromSeq, limit, Long.MAX_VALUE);
    }

    /** The id of the entry at {@code seq}; 0 for {@code seq == 0}. */
    default long idAt(long seq) {
        if (seq == 0) {
            return 0;
        }
        return get(seq).map(Entry::id)
                .orElseThrow(() -> new IllegalArgumentException("no entry at seq " + seq));
    }

    /**
     * Appends entries that continue the log ({@code entries.get(0).seq() == lastSeq() + 1}, no gaps).
     *
     * @return a future completing with the new {@link #durableSeq()} once these entries are durable,
     *         or failing with {@link LogStoreFailedException} when the store fails before they are
     * @throws IllegalArgumentException when the entries do not continue the log
     * @throws AppendFailedException when the disk refused the write (nothing was appended)
     * @throws LogStoreFailedException when the store has failed and takes no more writes
     */
    CompletableFuture<Long> append(List<Entry> entries);

    /**
     * Appends records (entries with their epoch and idempotency key) under the same rules as
     * {@link #append}.
     */
    CompletableFuture<Long> appendRecords(List<LogRecord> records);

    /** Up to {@code limit} consecutive records from {@code fromSeq}, with epoch and idempotency key. */
    default List<LogRecord> readRecords(long fromSeq, int limit) {
        return readRecords(fromSeq, limit, Long.MAX_VALUE);
    }

    /**
     * As {@link #readRecords(long, int)}, ending before the record that would take the records read
     * past {@code maxBytes} as the store holds them (for the file store their frames: the message
     * in UTF-8, the key and a few fixed fields); the first record always comes, however large. What
     * every reader of many records asks for, so that a page of messages of 1 MiB each is a few of
     * them and not as many as {@code limit}.
     */
    List<LogRecord> readRecords(long fromSeq, int limit, long maxBytes);

    /** The entries of {@link #readRecords(long, int, long)}: at most {@code maxBytes}, at least one. */
    default List<Entry> read(long fromSeq, int limit, long maxBytes) {
        return readRecords(fromSeq, limit, maxBytes).stream().map(LogRecord::toEntry).toList();
    }

    /**
     * Why the store failed, once it has ({@link LogStoreFailedException}: it takes no more writes
     * until the node restarts); empty while it works.
     */
    default Optional<LogStoreFailedException> failure() {
        return Optional.empty();
    }

    /** Drops every entry after {@code seq} (a rollback of entries the master's log lacks). */
    void truncateAfter(long seq);

    @Override
    void close();
}
