package dev.replog.client.error;

/**
 * A replog call that did not succeed. Every failure says whether it is <em>definite</em> (nothing
 * was changed: safe to send again as a new request) or <em>indefinite</em> (the change may have
 * been made: read to find out, or retry with the same {@code Idempotency-Key}), as a timeout is.
 */
public class ReplogException extends RuntimeException {

    private final int status;
    private final String title;
    private final boolean indefinite;

    /**
     * @param status     the HTTP status of the node's answer, 0 when no node answered
     * @param title      the problem+json {@code title} (or a short name of the failure)
     * @param detail     what happened, for people
     * @param indefinite whether the change may have been made
     */
    public ReplogException(int status, String title, String detail, boolean indefinite) {
        this(status, title, detail, indefinite, null);
    }

    /** As {@link #ReplogException(int, String, String, boolean)}, with the failure that caused it. */
    public ReplogException(int status, String title, String detail, boolean indefinite, Throwable cause) {
        super(title + (detail == null || detail.isEmpty() ? "" : ": " + detail), cause);
        this.status = status;
        this.title = title;
        this.indefinite = indefinite;
    }

    /** The HTTP status of the answer that ended the call; 0 when no node answered. */
    public int status() {
        return status;
    }

    /** The problem+json {@code title} of the answer, or a short name of the failure. */
    public String title() {
        return title;
    }

    /**
     * True when the change may have been made (a timeout, a dropped connection, a superseded
     * master): a retry with the same {@code Idempotency-Key} appends at most once.
     */
    public boolean indefinite() {
        return indefinite;
    }
}
