package dev.replog.secondary.replication;

import dev.replog.common.web.ReplogException;
import org.springframework.http.HttpStatus;

/**
 * 503: this node lost its epoch (new, or its data dir was wiped) and has not yet learned the newest
 * one; it takes no append, a fence included, until it has. Definite: nothing changed. The master
 * retries as after any failed delivery.
 */
class EpochUnknownException extends ReplogException {

    EpochUnknownException(String waitingFor) {
        super(HttpStatus.SERVICE_UNAVAILABLE, "Epoch unknown", "this node has no epoch of its own (it is new or "
                + "lost its data) and takes no append before it has learned " + waitingFor
                + ": a master older than that must not win it back; nothing was appended");
    }
}
