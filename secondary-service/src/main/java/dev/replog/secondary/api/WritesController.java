package dev.replog.secondary.api;

import dev.replog.common.protocol.ActiveMaster;
import dev.replog.common.web.NotActiveMasterException;
import dev.replog.secondary.config.ApiDocumentation;
import dev.replog.secondary.config.SecondaryProperties;
import dev.replog.secondary.leader.KnownMaster;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Writes that reach a secondary: it takes none itself, and sends the client to the active master
 * it knows ({@code 307}, same path and query, so the client resends the same body and
 * {@code Idempotency-Key}), or answers {@code 503} "No master" with {@code Retry-After}. Nothing
 * is read or written here.
 */
@RestController
@Tag(name = "messages", description = "Reads of the replicated log")
class WritesController {

    private static final String PROBLEM = MediaType.APPLICATION_PROBLEM_JSON_VALUE;

    private final KnownMaster master;
    private final String nodeName;

    WritesController(KnownMaster master, SecondaryProperties properties) {
        this.master = master;
        this.nodeName = properties.nodeName();
    }

    @PostMapping(path = {"/messages", "/messages/batch"})
    @Operation(summary = "Writes go to the active master",
            description = "A secondary takes no writes: 307 to the same path on the active master it last heard "
                    + "from (within 3 s), else 503 No master with Retry-After.")
    @ApiResponse(responseCode = "307", description = "Location: the same request on the active master",
            content = @Content(mediaType = PROBLEM, schema = @Schema(ref = ApiDocumentation.ACTIVE_MASTER)))
    @ApiResponse(responseCode = "503", description = "No master known now (a takeover runs); Retry-After says when "
            + "to try again", headers = @Header(name = "Retry-After", description = "seconds",
                    schema = @Schema(type = "integer")), content = @Content(mediaType = PROBLEM))
    Mono<Void> write() {
        return Mono.error(() -> {
            ActiveMaster active = master.current();
            return active == null
                    ? NotActiveMasterException.noMaster(nodeName, "no master has named itself within the last 3 s")
                    : NotActiveMasterException.redirect(nodeName, active.url(), active.epoch());
        });
    }
}
