package dev.replog.master.dashboard;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * A faulty-secondary's fault switches, reached through the master: the dashboard in a browser
 * can reach the master but not the secondaries' internal addresses.
 */
@RestController
@RequestMapping("/cluster/nodes/{name}/faults")
@Tag(name = "dashboard", description = "What the dashboard at / needs beyond the public API")
class NodeFaultsController {

    private static final String PROBLEM = MediaType.APPLICATION_PROBLEM_JSON_VALUE;
    private static final String SETTINGS = "{\"errorBeforeAppend\":0.0,\"errorAfterAppend\":0.0,"
            + "\"delayMs\":0,\"delayJitterMs\":0,\"down\":false}";

    private final NodeFaults faults;

    NodeFaultsController(NodeFaults faults) {
        this.faults = faults;
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "A node's faults in force", description = "The node's own GET /faults, relayed.")
    @ApiResponse(responseCode = "200", description = "The settings in force",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(type = "object"),
                    examples = @ExampleObject(SETTINGS)))
    @ApiResponse(responseCode = "404", description = "No such node, or the node has no /faults (master, plain secondary)",
            content = @Content(mediaType = PROBLEM))
    @ApiResponse(responseCode = "502", description = "The node did not answer within replog.heartbeat.timeout, or failed",
            content = @Content(mediaType = PROBLEM))
    Mono<ResponseEntity<String>> current(@PathVariable("name") String name) {
        return faults.current(name).map(NodeFaultsController::json);
    }

    @PutMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Change a node's faults",
            description = "Forwarded to the node's PUT /faults: fields present replace the current value, the "
                    + "others keep theirs (errorBeforeAppend, errorAfterAppend, delayMs, delayJitterMs, down).",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(type = "object"),
                    examples = @ExampleObject("{\"down\": true}"))))
    @ApiResponse(responseCode = "200", description = "The settings now in force",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(type = "object"),
                    examples = @ExampleObject(SETTINGS)))
    @ApiResponse(responseCode = "400", description = "The node refused the change (its detail relayed); nothing changed",
            content = @Content(mediaType = PROBLEM))
    @ApiResponse(responseCode = "415", description = "The body is not JSON; nothing changed",
            content = @Content(mediaType = PROBLEM))
    @ApiResponse(responseCode = "404", description = "No such node, or the node has no /faults (master, plain secondary)",
            content = @Content(mediaType = PROBLEM))
    @ApiResponse(responseCode = "502", description = "The node did not answer in time or failed: the change may or may "
            + "not be in force; read it again", content = @Content(mediaType = PROBLEM))
    Mono<ResponseEntity<String>> change(@PathVariable("name") String name, @RequestBody(required = false) String body) {
        return faults.change(name, body).map(NodeFaultsController::json);
    }

    private static ResponseEntity<String> json(String body) {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body);
    }
}
