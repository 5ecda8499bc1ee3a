package dev.replog.common.web;

import dev.replog.common.log.LogStore;
import dev.replog.common.protocol.Entry;
import java.util.List;

/**
 * The read side of {@code GET /messages} and {@code GET /messages/{seq}}, the same on the master
 * and on every secondary: parameters are parsed here so every node answers bad input alike.
 */
public final class LogQuery {

    /** Default and largest {@code limit} of one page. */
    public static final int MAX_LIMIT = 10_000;

    private LogQuery() {
    }

    /** Entries from {@code from} (default 1), at most {@code limit} (default {@value #MAX_LIMIT}). */
    public static List<Entry> page(LogStore store, String from, String limit) {
        long fromSeq = from == null ? 1 : parseSeq("from", from, 0);
        long max = limit == null ? MAX_LIMIT : parseSeq("limit", limit, 0);
        if (max > MAX_LIMIT) {
            throw new BadRequestException("limit must be at most " + MAX_LIMIT + ", was " + max);
        }
        return store.read(Math.max(fromSeq, 1), (int) max);
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
