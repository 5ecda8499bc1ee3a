package dev.replog.common.web;

import dev.replog.common.log.LogRecord;
import dev.replog.common.log.LogStore;
import dev.replog.common.protocol.Entry;
import dev.replog.common.protocol.KeyedEntries;
import java.util.List;

/**
 * The read side of {@code GET /messages} and {@code GET /messages/{seq}}, the same on the master
 * and on every secondary: parameters are parsed here so every node answers bad input alike.
 */
public final class LogQuery {

    /** Default and largest {@code limit} of one page. */
    public static final int MAX_LIMIT = 10_000;
    /**
     * A page of {@code GET /messages} ends before the entry that would take it past this many bytes
     * of stored records (at least one entry, however large): 10,000 messages of 1 MiB would be 10 GiB.
     */
    public static final long PAGE_BYTES = 8L << 20;
    /**
     * The budget a recovering master asks for in its keyed reads ({@code maxBytes}): small enough
     * that a page, in JSON with its keys and every character escaped at worst, stays within the 7 MB
     * a master decodes at once, which one message of 1 MiB alone also does.
     */
    public static final long KEYED_PAGE_BYTES = 512L << 10;

    private LogQuery() {
    }

    /**
     * Entries from {@code from} (default 1), at most {@code limit} (default {@value #MAX_LIMIT}) and
     * at most {@link #PAGE_BYTES}: a reader reads on after the last entry until a page is empty.
     */
    public static List<Entry> page(LogStore store, String from, String limit) {
        return store.read(fromSeq(from), limit(limit), PAGE_BYTES);
    }

    /**
     * As {@link #page}, with the idempotency key and epoch of each entry (internal reads), at most
     * {@code maxBytes} when the reader gives it. Without it only {@code limit} counts: a reader that
     * asks for no budget may take a page shorter than {@code limit} for the end of the log.
     */
    public static KeyedEntries keyedPage(LogStore store, String from, String limit, String maxBytes) {
        long budget = maxBytes == null ? Long.MAX_VALUE : parseSeq("maxBytes", maxBytes, 0);
        return LogRecord.keyed(store.readRecords(fromSeq(from), limit(limit), budget));
    }

    private static long fromSeq(String from) {
        return from == null ? 1 : Math.max(parseSeq("from", from, 0), 1);
    }

    private static int limit(String limit) {
        long max = limit == null ? MAX_LIMIT : parseSeq("limit", limit, 0);
        if (max > MAX_LIMIT) {
            throw new BadRequestException("limit must be at most " + MAX_LIMIT + ", was " + max);
        }
        return (int) max;
    }

    /** The entry at {@code seq}, or a 404. */
    public static Entry one(LogStore store, String seq) {
        long value = parseSeq("seq", seq, 1);
        return store.get(value).orElseThrow(() -> new NotFoundException("no entry with seq " + value));
    }

    private static long parseSeq(String name, String text, long min) {
        long value;
        try {
            value = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new BadRequestException(name + " must be an integer, was \"" + text + "\"");
        }
        if (value < min) {
            throw new BadRequestException(name + " must be at least " + min + ", was " + value);
        }
        return value;
    }
}
