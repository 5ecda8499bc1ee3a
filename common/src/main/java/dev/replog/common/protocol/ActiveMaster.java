package dev.replog.common.protocol;

import java.util.Objects;

/**
 * The master that leads the cluster, as a node knows it: its base URL (where clients send writes)
 * and the epoch it leads with. Masters tell the secondaries with every append and heartbeat
 * ({@link #HEADER}); a node that is not the active master redirects writes to {@link #url}.
 *
 * @param url   the active master's base URL as clients reach it ({@code replog.advertised-url})
 * @param epoch the epoch it leads with (0: not known, e.g. learned from the lease before its recovery took one)
 */
public record ActiveMaster(String url, long epoch) {

    /**
     * Sent by a master that leads on every request to a secondary: {@code "<epoch> <url>"}. A
     * secondary keeps the one with the highest epoch; a standby sends none.
     */
    public static final String HEADER = "Replog-Master";

    public ActiveMaster {
        Objects.requireNonNull(url, "url");
        if (url.isBlank() || url.indexOf(' ') >= 0) {
            throw new IllegalArgumentException("url must be non-blank and without spaces, was \"" + url + "\"");
        }
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, was " + epoch);
        }
        url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** The value of {@link #HEADER}. */
    public String headerValue() {
        return epoch + " " + url;
    }

    /** Reads {@link #HEADER}; null when {@code value} is null or not of the form {@code "<epoch> <url>"}. */
    public static ActiveMaster fromHeader(String value) {
        if (value == null) {
            return null;
        }
        int space = value.indexOf(' ');
        if (space <= 0) {
            return null;
        }
        try {
            return new ActiveMaster(value.substring(space + 1).trim(), Long.parseLong(value.substring(0, space)));
        } catch (IllegalArgumentException malformed) {
            return null;
        }
    }
}
