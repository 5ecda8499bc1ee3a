package dev.replog.sync.paxos;

import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/** The acceptor protocol on the wire ({@code POST /paxos/prepare}, {@code POST /paxos/accept}). */
public final class Messages {

    private Messages() {
    }

    /** Phase 1: promise not to accept anything below {@code ballot} and tell what you accepted. */
    public record Prepare(String key, Ballot ballot) {
        public Prepare {
            Keys.requireValid(key);
            Objects.requireNonNull(ballot, "ballot");
        }
    }

    /**
     * The answer to {@link Prepare}.
     *
     * @param ok       whether the promise was given
     * @param promised the acceptor's promised ballot after the call (on a refusal: the one above)
     * @param accepted the ballot of the value it accepted last ({@link Ballot#ZERO}: none)
     * @param value    that value, or {@code null}
     */
    public record Promise(boolean ok, Ballot promised, Ballot accepted, JsonNode value) {
    }

    /** Phase 2: accept {@code value} at {@code ballot} unless a higher ballot was promised. */
    public record Accept(String key, Ballot ballot, JsonNode value) {
        public Accept {
            Keys.requireValid(key);
            Objects.requireNonNull(ballot, "ballot");
        }
    }

    /**
     * The answer to {@link Accept}.
     *
     * @param ok       whether the value was accepted (and is durable)
     * @param promised the acceptor's promised ballot after the call
     */
    public record Accepted(boolean ok, Ballot promised) {
    }

    /**
     * What an acceptor holds, asked by a node that starts without state ({@code GET /paxos/state-summary}).
     *
     * @param node        the node's name
     * @param status      {@code VOTING}, {@code JOINING} (deciding whether it must re-join) or
     *                    {@code REJOINING}
     * @param keys        how many keys it holds
     * @param maxBallot   the highest ballot it promised on any key
     * @param incarnation a random id of the node's current run (null from a peer that sends none)
     * @param formedWith  the incarnations of the peers it saw without state when it found the
     *                    cluster new and began to vote (empty otherwise)
     */
    public record StateSummary(String node, String status, int keys, Ballot maxBallot, String incarnation,
            List<String> formedWith) {

        public StateSummary {
            formedWith = formedWith == null ? List.of() : List.copyOf(formedWith);
        }

        /** A summary that names no incarnation and formed no cluster. */
        public StateSummary(String node, String status, int keys, Ballot maxBallot) {
            this(node, status, keys, maxBallot, null, List.of());
        }
    }
}
