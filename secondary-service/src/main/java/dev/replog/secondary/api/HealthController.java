package dev.replog.secondary.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.replog.common.log.LogStore;
import dev.replog.common.protocol.ActiveMaster;
import dev.replog.secondary.config.SecondaryProperties;
import dev.replog.secondary.leader.KnownMaster;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /health}: this replica and the active master it follows (Spring's own health is at /actuator/health). */
@RestController
@Tag(name = "health", description = "This node's view of the cluster")
class HealthController {

    private final LogStore store;
    private final KnownMaster master;
    private final String nodeName;

    HealthController(LogStore store, KnownMaster master, SecondaryProperties properties) {
        this.store = store;
        this.master = master;
        this.nodeName = properties.nodeName();
    }

    /**
     * @param lastSeq      the end of the contiguous prefix this replica shows
     * @param activeMaster the active master it last heard from (url, epoch), absent if none yet
     * @param heardRecently whether that master was heard from within the last 3 s (writes are redirected to it)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ReplicaHealth(String name, String role, long lastSeq, ActiveMaster activeMaster, boolean heardRecently) {
    }

    @Operation(summary = "This replica and the active master it follows",
            description = "name, role (secondary), lastSeq (end of the contiguous prefix), activeMaster {url, epoch} "
                    + "(absent until a master has named itself) and heardRecently.")
    @GetMapping(path = "/health", produces = MediaType.APPLICATION_JSON_VALUE)
    ReplicaHealth health() {
        return new ReplicaHealth(nodeName, "secondary", store.lastSeq(), master.last(), master.current() != null);
    }
}
