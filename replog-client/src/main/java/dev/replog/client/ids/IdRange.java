package dev.replog.client.ids;

/** A range of ids the sync cluster handed out: {@code from..to}, inclusive. */
record IdRange(String name, long from, long to) {

    IdRange {
        if (from < 1 || to < from) {
            throw new IllegalArgumentException("not a range of ids: " + from + ".." + to);
        }
    }
}
