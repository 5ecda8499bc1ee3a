package dev.replog.master.api;

import dev.replog.master.cluster.ClusterHealth;
import dev.replog.master.cluster.ClusterView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /health}: the cluster as the master sees it (Spring's own health is at /actuator/health). */
@RestController
@Tag(name = "health", description = "The cluster as this node sees it")
class HealthController {

    private final ClusterView cluster;

    HealthController(ClusterView cluster) {
        this.cluster = cluster;
    }

    @Operation(summary = "The cluster as the master sees it",
            description = "mode (READ_WRITE, READ_ONLY, RECOVERING), epoch, lastSeq, quorum, nodesUp and each node's "
                    + "status (HEALTHY, SUSPECTED, UNHEALTHY), ackedSeq, lag and last heartbeat, and ids: where permanent ids "
                    + "come from (sync or local) and how many the master holds; while RECOVERING, recovering: what the "
                    + "recovery waits for (e.g. \"fenced 1 of 2 secondaries; need every secondary (this master has no "
                    + "state of its own)\").")
    @GetMapping(path = "/health", produces = MediaType.APPLICATION_JSON_VALUE)
    ClusterHealth health() {
        return cluster.health();
    }
}
