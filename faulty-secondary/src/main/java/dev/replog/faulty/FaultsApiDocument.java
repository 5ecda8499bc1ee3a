package dev.replog.faulty;

import dev.replog.common.web.ApiDocument;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The faulty-secondary's OpenAPI document is the secondary's ({@link ApiDocument}, which applies
 * this amendment last) under its own title, with what the faults add to the replication endpoints: 503 while
 * {@code down}, and on appends the injected 500s ({@link FaultFilter}).
 */
@Component
class FaultsApiDocument implements ApiDocument.Amendment {

    @Override
    public void amend(OpenAPI api) {
        api.getInfo().title("replog faulty-secondary")
                .description("A secondary whose failures are switched on at run time (/faults, all off by default): "
                        + "the secondary's public reads, redirected writes and internal replication endpoints, "
                        + "with the faults in front of the replication endpoints. Every error is an RFC 9457 "
                        + "application/problem+json answer.");
        for (Map.Entry<String, PathItem> path : api.getPaths().entrySet()) {
            if (!path.getKey().startsWith("/replication/")) {
                continue;
            }
            for (Map.Entry<PathItem.HttpMethod, Operation> operation : path.getValue().readOperationsMap().entrySet()) {
                ApiDocument.addProblem(operation.getValue(), "503", "on the faulty-secondary, Down: the fault switch "
                        + "down is on (and delayMs, delayJitterMs delay every replication request)");
                if (operation.getKey() == PathItem.HttpMethod.POST && path.getKey().equals("/replication/append")) {
                    ApiDocument.addProblem(operation.getValue(), "500", "on the faulty-secondary, Injected fault: "
                            + "errorBeforeAppend (the batch was not stored) or errorAfterAppend (the batch was "
                            + "stored, its answer replaced)");
                }
            }
        }
    }
}
