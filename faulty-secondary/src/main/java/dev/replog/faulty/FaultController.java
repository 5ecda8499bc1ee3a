package dev.replog.faulty;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** Switches faults at run time. */
@RestController
@RequestMapping("/faults")
@Tag(name = "faults", description = "Fault injection into /replication/** (this node only)")
class FaultController {

    private static final String PROBLEM = MediaType.APPLICATION_PROBLEM_JSON_VALUE;

    private final Faults faults;

    FaultController(Faults faults) {
        this.faults = faults;
    }

    @GetMapping
    @Operation(summary = "The faults in force")
    @ApiResponse(responseCode = "200", description = "The current settings")
    FaultSettings current() {
        return faults.current();
    }

    @PutMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Change faults",
            description = "A JSON object with any of errorBeforeAppend, errorAfterAppend (probabilities in [0, 1]), "
                    + "delayMs, delayJitterMs (whole ms, 0..60000) and down (boolean). Fields present replace the "
                    + "current value; fields left out keep theirs. Unknown fields, wrong types or out-of-range "
                    + "values are refused with 400 and change nothing.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
                    description = "Fields to replace; the others keep their current value",
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = FaultSettings.class))))
    @ApiResponse(responseCode = "200", description = "The settings now in force")
    @ApiResponse(responseCode = "400", description = "Unknown field, wrong type or value out of range; nothing changed",
            content = @Content(mediaType = PROBLEM))
    @ApiResponse(responseCode = "415", description = "Not JSON", content = @Content(mediaType = PROBLEM))
    FaultSettings change(@RequestBody JsonNode body) {
        FaultUpdate update = FaultUpdate.parse(body);
        return faults.change(update::applyTo);
    }

    @PostMapping("/reset")
    @Operation(summary = "Switch every fault off")
    @ApiResponse(responseCode = "200", description = "The settings now in force: all off")
    FaultSettings reset() {
        return faults.reset();
    }
}
