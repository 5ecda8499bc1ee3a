package dev.replog.secondary.config;

import static dev.replog.common.web.ApiDocument.members;

import dev.replog.common.web.ApiDocument;
import dev.replog.common.web.ClusterSecretFilter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The secondary's OpenAPI document ({@code /v3/api-docs}): what {@link ApiDocument} gives every
 * node (the internal endpoints are those {@link ClusterSecretFilter} guards), plus the members that
 * its problems add. The faulty-secondary, which scans this package, amends it (an
 * {@link ApiDocument.Amendment} bean).
 */
@Configuration(proxyBeanMethods = false)
public class ApiDocumentation {

    private static final String SCHEMAS = "#/components/schemas/";
    public static final String ACTIVE_MASTER = SCHEMAS + "ActiveMasterProblem";
    public static final String APPEND_REJECTED = SCHEMAS + "AppendRejectedProblem";
    public static final String NOT_APPENDED = SCHEMAS + "NotAppendedProblem";

    @Bean
    ApiDocument secondaryApiDocument(ObjectProvider<BuildProperties> build, ClusterSecretFilter guard,
            ObjectProvider<ApiDocument.Amendment> amendments) {
        return new ApiDocument("replog secondary",
                "A replica of the master's log: public reads of its gap-free prefix and the live tail, writes "
                        + "redirected to the active master, and the internal replication endpoints the master "
                        + "calls (cluster secret). Every error is an RFC 9457 application/problem+json answer.",
                build, guard::guards)
                .schema("ActiveMasterProblem", members("A write to a secondary, which takes none",
                        "activeMaster", "string", "The active master's base URL (as in Location)",
                        "epoch", "integer", "The active master's epoch, when known"))
                .schema("AppendRejectedProblem", members("Why a batch was refused, and where to resume",
                        "reason", "string", "stale-epoch, gap or mismatch",
                        "ackedSeq", "integer", "The end of this node's contiguous, durable prefix",
                        "epoch", "integer", "The highest master epoch this node has accepted"))
                .schema("NotAppendedProblem", members("A batch the disk refused: nothing of it was stored",
                        "appended", "boolean", "Always false"))
                .amendedBy(amendments.orderedStream().toList());
    }
}
