package dev.replog.secondary.replication;

/** Why a secondary refused an append batch; each is answered 409 with the secondary's watermark. */
enum RejectReason {

    /** The batch comes from a master older than one this secondary has already followed. */
    STALE_EPOCH("stale-epoch", "Stale epoch"),

    /** The batch starts past the end of the contiguous prefix; it is kept aside until the gap fills. */
    GAP("gap", "Gap"),

    /** The entry before the batch ({@code prevSeq}) is not the one the master names ({@code prevId}). */
    MISMATCH("mismatch", "Log mismatch");

    private final String code;
    private final String title;

    RejectReason(String code, String title) {
        this.code = code;
        this.title = title;
    }

    /** The value of the {@code reason} problem member and of the metric tag. */
    public String code() {
        return code;
    }

    /** The problem title. */
    public String title() {
        return title;
    }
}
