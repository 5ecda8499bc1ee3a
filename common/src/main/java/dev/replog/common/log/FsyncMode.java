package dev.replog.common.log;

import java.util.Locale;

/**
 * When {@link FileLogStore} forces appended records to stable storage ({@code replog.storage.fsync}).
 */
public enum FsyncMode {

    /**
     * Group commit (the default): a dedicated thread fsyncs while appends keep going, and one fsync
     * covers every record appended meanwhile; an append's future completes only after the fsync
     * that covers it.
     */
    GROUP,

    /** Every append fsyncs before it returns; simplest, slowest. */
    ALWAYS,

    /**
     * No fsync per append: futures complete at once and a machine crash (not a process crash) may
     * lose the unsynced tail of the active segment. Segment rolls, truncations and a clean close
     * still fsync.
     */
    NONE;

    /** Parses {@code group}, {@code always} or {@code none} (case and surrounding blanks ignored). */
    public static FsyncMode parse(String value) {
        if (value != null) {
            switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "group":
                    return GROUP;
                case "always":
                    return ALWAYS;
                case "none":
                    return NONE;
                default:
                    break;
            }
        }
        throw new IllegalArgumentException(
                "fsync mode must be one of group, always, none; was " + (value == null ? "null" : "'" + value + "'"));
    }
}
