package dev.replog.sync.paxos;

import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * What one acceptor knows of one key; made durable before the acceptor answers.
 *
 * @param promised the highest ballot promised (no lower ballot is accepted any more)
 * @param accepted the ballot of the value last accepted ({@link Ballot#ZERO}: none)
 * @param value    the value last accepted, or {@code null} if none
 */
public record AcceptorState(Ballot promised, Ballot accepted, JsonNode value) {

    /** A key this acceptor has never seen. */
    public static final AcceptorState EMPTY = new AcceptorState(Ballot.ZERO, Ballot.ZERO, null);

    public AcceptorState {
        Objects.requireNonNull(promised, "promised");
        Objects.requireNonNull(accepted, "accepted");
        if (accepted.isAbove(promised)) {
            throw new IllegalArgumentException("accepted " + accepted + " above promised " + promised);
        }
    }
}
