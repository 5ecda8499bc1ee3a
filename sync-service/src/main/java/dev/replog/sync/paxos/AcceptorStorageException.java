package dev.replog.sync.paxos;

import dev.replog.common.web.ReplogException;
import org.springframework.http.HttpStatus;

/**
 * This node's disk refused an acceptor state (a full disk, a failing one): 503. Definite: the old
 * state is still in force, so the node neither promised nor accepted anything by it; the other
 * nodes decide without its vote until it can write again.
 */
public class AcceptorStorageException extends ReplogException {

    public AcceptorStorageException(String reason) {
        super(HttpStatus.SERVICE_UNAVAILABLE, "Cannot persist",
                "this sync node could not write its acceptor state (" + reason + "): it neither promised nor "
                        + "accepted, and the other nodes decide without it until it can write again");
    }
}
