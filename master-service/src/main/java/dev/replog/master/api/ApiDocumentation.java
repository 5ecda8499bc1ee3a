package dev.replog.master.api;

import static dev.replog.common.web.ApiDocument.members;
import static dev.replog.common.web.ApiDocument.typed;

import dev.replog.common.web.ApiDocument;
import io.swagger.v3.oas.models.media.Schema;
import java.math.BigDecimal;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The master's OpenAPI document ({@code /v3/api-docs}): what {@link ApiDocument} gives every node,
 * plus the schemas the controllers' annotations refer to — the write concern and the members that
 * the write path's problems add. The master has no internal endpoints.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocumentation {

    private static final String SCHEMAS = "#/components/schemas/";
    static final String WRITE_CONCERN = SCHEMAS + "WriteConcern";
    static final String ACTIVE_MASTER = SCHEMAS + "ActiveMasterProblem";
    static final String WRITE_WAIT = SCHEMAS + "WriteWaitProblem";
    static final String WRITE_UNAVAILABLE = SCHEMAS + "WriteUnavailableProblem";
    static final String NOT_APPENDED = SCHEMAS + "NotAppendedProblem";
    static final String KEY_REUSED = SCHEMAS + "KeyReusedProblem";

    @Bean
    ApiDocument masterApiDocument(ObjectProvider<BuildProperties> build) {
        return new ApiDocument("replog master",
                "The master of a replog cluster: it accepts every write with a write concern w, gives it its place "
                        + "in the total order and replicates it to the secondaries; it serves reads, the live tail, "
                        + "the cluster's health as it sees it, and the fault relay the dashboard at / uses. Every "
                        + "error is an RFC 9457 application/problem+json answer.",
                build, path -> false)
                .schema("WriteConcern", writeConcern())
                .schema("ActiveMasterProblem", members("A write to an instance that is not the active master",
                        "activeMaster", "string", "The active master's base URL (as in Location)",
                        "epoch", "integer", "The active master's epoch, when known"))
                .schema("WriteWaitProblem", members("A write whose wait for its write concern ended without it "
                                + "(504, or 503 Superseded): the entry is in this master's log, its outcome is "
                                + "indefinite",
                        "seq", "integer", "The entry's seq (of a batch: its last entry's)",
                        "acks", "integer", "How many nodes held it when the answer was sent",
                        "w", "integer", "The write concern asked for, resolved to a number of nodes"))
                .schema("WriteUnavailableProblem", members("Why the master takes no write now; the members present "
                                + "depend on the title",
                        "mode", "string", "Read-only, Recovering, Superseded: the master's mode (READ_ONLY, "
                                + "RECOVERING, ...)",
                        "nodesUp", "integer", "Read-only, Recovering, Superseded: the nodes up, the master counted",
                        "quorum", "integer", "Read-only, Recovering, Superseded: the nodes a write needs",
                        "seq", "integer", "Superseded while the write waited: the entry's seq (indefinite, as a 504)",
                        "acks", "integer", "Superseded while the write waited: nodes that held it",
                        "w", "integer", "Superseded while the write waited: the resolved write concern",
                        "appended", "boolean", "Log write failed: false, nothing was appended"))
                .schema("NotAppendedProblem", members("A write the disk refused: nothing was appended",
                        "appended", "boolean", "Always false: retry once there is room"))
                .schema("KeyReusedProblem", members("An Idempotency-Key already used for another message",
                        "seq", "integer", "The seq of the entry written with that key"));
    }

    /** {@code w}: an integer 1..n, or "majority" or "all" (WriteRequestParser). */
    static Schema<Object> writeConcern() {
        Schema<Object> count = typed("integer").format("int32");
        count.setMinimum(BigDecimal.ONE);
        count.setDescription("That many nodes, the master counted (at most n, the master and its secondaries)");
        Schema<Object> named = typed("string");
        named.setEnum(List.of("majority", "all"));
        named.setDescription("majority: n/2+1 nodes; all: n nodes");
        Schema<Object> concern = new Schema<>();
        concern.setOneOf(List.of(count, named));
        concern.setDescription("The write concern: how many nodes must hold the entry before the answer, an integer "
                + "1..n, \"majority\" or \"all\". In the body or as the query parameter w (both only if they agree); "
                + "default 1. Anything else, a padded number or a number over n is 400.");
        concern.setExample(2);
        return concern;
    }
}
