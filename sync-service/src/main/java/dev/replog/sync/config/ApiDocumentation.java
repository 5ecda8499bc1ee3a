package dev.replog.sync.config;

import static dev.replog.common.web.ApiDocument.members;

import dev.replog.common.web.ApiDocument;
import dev.replog.common.web.ClusterSecretFilter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The sync node's OpenAPI document ({@code /v3/api-docs}): what {@link ApiDocument} gives every
 * node (the internal endpoints, {@code /paxos/**}, are those {@link ClusterSecretFilter} guards),
 * plus the members that its problems add.
 */
@Configuration(proxyBeanMethods = false)
public class ApiDocumentation {

    private static final String SCHEMAS = "#/components/schemas/";
    public static final String LOCK_HELD = SCHEMAS + "LockHeldProblem";
    public static final String NO_MAJORITY = SCHEMAS + "NoMajorityProblem";
    public static final String NOT_VOTING = SCHEMAS + "NotVotingProblem";
    /** A sequence's or a lock's name, as {@code Keys.NAME} checks it. */
    public static final String NAME_PATTERN = "^[a-z0-9._-]{1,64}$";

    @Bean
    ApiDocument syncApiDocument(ObjectProvider<BuildProperties> build, ClusterSecretFilter guard) {
        return new ApiDocument("replog sync-service",
                "One node of the three-node sync cluster: named sequences that hand out strictly increasing, "
                        + "never overlapping ranges (the master's permanent ids and epochs) and leases with "
                        + "fencing tokens (the master's lease), each change decided by a majority with CASPaxos; "
                        + "any node answers. The /paxos endpoints are the acceptor calls between the nodes "
                        + "(cluster secret). Every error is an RFC 9457 application/problem+json answer.",
                build, guard::guards)
                .schema("LockHeldProblem", members("Who holds the lock, when waitMs passed without it (both absent "
                                + "when the lock is free but promised to an earlier waiter)",
                        "holder", "string", "The owner that holds the lock",
                        "expiresAt", "string", "When its lease expires unless renewed (ISO-8601 instant)"))
                .schema("NoMajorityProblem", members("No majority decided in time (title No majority); "
                                + "indefinite: the change may have been decided (a range then leaves a gap)",
                        "answered", "integer", "How many nodes answered",
                        "required", "integer", "How many a decision needs"))
                .schema("NotVotingProblem", members("This node's acceptor does not vote yet (title Not voting); "
                                + "also Cannot persist (its disk refused the state; nothing promised or accepted)",
                        "membership", "string", "Not voting: where the node stands (e.g. REJOINING)"));
    }
}
