package dev.replog.secondary.replication;

import dev.replog.common.web.ReplogException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * A refused append: 409 problem+json whose members {@code ackedSeq} and {@code epoch} are those of
 * an {@link dev.replog.common.protocol.AppendResponse}, so the master reads either answer alike and
 * resends from {@code ackedSeq + 1}. Definite: nothing visible changed.
 */
class AppendRejectedException extends ReplogException {

    private final RejectReason reason;
    private final long ackedSeq;
    private final long epoch;

    AppendRejectedException(RejectReason reason, long ackedSeq, long epoch, String detail) {
        super(HttpStatus.CONFLICT, reason.title(), detail);
        this.reason = reason;
        this.ackedSeq = ackedSeq;
        this.epoch = epoch;
    }

    public RejectReason reason() {
        return reason;
    }

    /** Where the master should resume: it resends from {@code ackedSeq + 1}. */
    public long ackedSeq() {
        return ackedSeq;
    }

    /** The highest epoch this secondary has accepted. */
    public long epoch() {
        return epoch;
    }

    @Override
    public Map<String, Object> properties() {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("reason", reason.code());
        members.put("ackedSeq", ackedSeq);
        members.put("epoch", epoch);
        return members;
    }
}
