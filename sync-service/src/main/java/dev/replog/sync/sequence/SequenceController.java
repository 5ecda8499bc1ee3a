package dev.replog.sync.sequence;

import dev.replog.common.web.BadRequestException;
import dev.replog.sync.config.ApiDocumentation;
import dev.replog.sync.paxos.Keys;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code POST /sequences/{name}/ranges} and {@code GET /sequences/{name}}. */
@RestController
@RequestMapping("/sequences")
@Tag(name = "sequences", description = "Named sequences: strictly increasing, never overlapping ranges (the "
        + "master's permanent ids and epochs)")
class SequenceController {

    private static final String PROBLEM = MediaType.APPLICATION_PROBLEM_JSON_VALUE;
    private static final String NO_MAJORITY = "No majority answered, or contention did not settle, within "
            + "replog.sync.backoff.give-up-after: indefinite, the change may have been decided";

    private final SequenceService sequences;

    SequenceController(SequenceService sequences) {
        this.sequences = sequences;
    }

    /** The body of {@code POST /sequences/{name}/ranges}. */
    record RangeRequest(Long size) {
    }

    @PostMapping("/{name}/ranges")
    @Operation(summary = "Take the next range of a sequence",
            description = "The next size ids of the sequence name, decided by a majority: ranges of one name never "
                    + "overlap and strictly increase, across restarts of any node. A sequence starts at 1; a range "
                    + "taken and not used is a gap.")
    @ApiResponse(responseCode = "200", description = "The range {name, from, to}, both ends included")
    @ApiResponse(responseCode = "400", description = "A bad name, a missing size or one outside 1..1000000, or a "
            + "malformed body", content = @Content(mediaType = PROBLEM))
    @ApiResponse(responseCode = "415", description = "The body is not JSON", content = @Content(mediaType = PROBLEM))
    @ApiResponse(responseCode = "503", description = NO_MAJORITY, content = @Content(mediaType = PROBLEM,
            schema = @Schema(ref = ApiDocumentation.NO_MAJORITY)))
    Mono<SequenceService.Range> take(
            @Parameter(schema = @Schema(pattern = ApiDocumentation.NAME_PATTERN)) @PathVariable String name,
            @RequestBody RangeRequest request) {
        requireName(name);
        if (request.size() == null) {
            throw new BadRequestException("size is required: {\"size\": N} with N in 1.." + SequenceService.MAX_SIZE);
        }
        long size = request.size();
        if (size < 1 || size > SequenceService.MAX_SIZE) {
            throw new BadRequestException("size must be within 1.." + SequenceService.MAX_SIZE + ", was " + size);
        }
        return sequences.take(name, size);
    }

    @GetMapping("/{name}")
    @Operation(summary = "Read a sequence", description = "The id the next range would start at: a linearizable "
            + "read (a CASPaxos round), so it reflects every range taken before it began.")
    @ApiResponse(responseCode = "200", description = "{name, next}")
    @ApiResponse(responseCode = "400", description = "A bad name", content = @Content(mediaType = PROBLEM))
    @ApiResponse(responseCode = "503", description = NO_MAJORITY, content = @Content(mediaType = PROBLEM,
            schema = @Schema(ref = ApiDocumentation.NO_MAJORITY)))
    Mono<SequenceService.SequenceValue> read(
            @Parameter(schema = @Schema(pattern = ApiDocumentation.NAME_PATTERN)) @PathVariable String name) {
        requireName(name);
        return sequences.read(name);
    }

    static void requireName(String name) {
        if (!Keys.NAME.matcher(name).matches()) {
            throw new BadRequestException("sequence name must match " + Keys.NAME.pattern() + ", was \"" + name + "\"");
        }
    }
}
