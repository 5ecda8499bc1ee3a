package dev.replog.sync.cluster;

import dev.replog.sync.config.ApiDocumentation;
import dev.replog.sync.paxos.AcceptorCore;
import dev.replog.sync.paxos.Ballot;
import dev.replog.sync.paxos.Messages;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.MediaType;
import java.util.concurrent.CompletableFuture;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** The internal acceptor endpoints other sync nodes call. */
@RestController
@RequestMapping("/paxos")
@Tag(name = "paxos", description = "Internal: the CASPaxos acceptor calls between sync nodes, with the cluster secret")
class AcceptorController {

    private static final String PROBLEM = MediaType.APPLICATION_PROBLEM_JSON_VALUE;
    private static final String NOT_VOTING = "Not voting: this node started without state and is re-joining; or "
            + "Cannot persist: its disk refused the new state. Nothing promised or accepted";
    private static final String BAD_BALLOT = "A malformed body: an invalid key, a missing ballot";

    private final LocalAcceptor acceptor;
    private final AcceptorCore core;
    private final Membership membership;

    AcceptorController(LocalAcceptor acceptor, AcceptorCore core, Membership membership) {
        this.acceptor = acceptor;
        this.core = core;
        this.membership = membership;
    }

    @PostMapping("/prepare")
    @Operation(summary = "Phase 1: promise a ballot for a key",
            description = "Promises not to take part in lower ballots of the key (fsynced before the answer) and "
                    + "answers the value accepted so far; a lower ballot than one promised is refused in the answer.")
    @ApiResponse(responseCode = "200", description = "The promise, or its refusal")
    @ApiResponse(responseCode = "400", description = BAD_BALLOT, content = @Content(mediaType = PROBLEM))
    @ApiResponse(responseCode = "415", description = "The body is not JSON", content = @Content(mediaType = PROBLEM))
    @ApiResponse(responseCode = "503", description = NOT_VOTING, content = @Content(mediaType = PROBLEM,
            schema = @Schema(ref = ApiDocumentation.NOT_VOTING)))
    Mono<Messages.Promise> prepare(@RequestBody Messages.Prepare prepare) {
        return acceptor.prepare(prepare);
    }

    @PostMapping("/accept")
    @Operation(summary = "Phase 2: accept a value for a key",
            description = "Accepts the value under the ballot unless a higher one was promised (fsynced before the "
                    + "answer).")
    @ApiResponse(responseCode = "200", description = "Accepted, or refused")
    @ApiResponse(responseCode = "400", description = BAD_BALLOT, content = @Content(mediaType = PROBLEM))
    @ApiResponse(responseCode = "415", description = "The body is not JSON", content = @Content(mediaType = PROBLEM))
    @ApiResponse(responseCode = "503", description = NOT_VOTING, content = @Content(mediaType = PROBLEM,
            schema = @Schema(ref = ApiDocumentation.NOT_VOTING)))
    Mono<Messages.Accepted> accept(@RequestBody Messages.Accept accept) {
        return acceptor.accept(accept);
    }

    /**
     * Raises this node's generation floor (asked by a node that re-joins). Answered whether or not
     * this node votes: a higher floor only ever makes it refuse more.
     */
    @PostMapping("/fence")
    @Operation(summary = "Raise the generation floor (asked by a re-joining node)",
            description = "From then on this node refuses every ballot of an older generation, on every key.")
    @ApiResponse(responseCode = "200", description = "The floor now in force")
    @ApiResponse(responseCode = "400", description = "A malformed ballot", content = @Content(mediaType = PROBLEM))
    @ApiResponse(responseCode = "415", description = "The body is not JSON", content = @Content(mediaType = PROBLEM))
    @ApiResponse(responseCode = "503", description = "Cannot persist: this node's disk refused the new floor",
            content = @Content(mediaType = PROBLEM, schema = @Schema(ref = ApiDocumentation.NOT_VOTING)))
    Mono<Ballot> fence(@RequestBody Ballot floor) {
        // not cancellable, like the acceptor calls: an interrupt would close the channel mid-fsync
        return Mono.fromFuture(() -> CompletableFuture.supplyAsync(() -> core.fence(floor),
                Schedulers.boundedElastic()::schedule), true);
    }

    @GetMapping("/state-summary")
    @Operation(summary = "Whether this node has voted (asked by a starting node)")
    @ApiResponse(responseCode = "200", description = "{node, status, keys, maxBallot}")
    Messages.StateSummary summary() {
        return membership.summary();
    }

    @GetMapping("/keys")
    @Operation(summary = "The keys this acceptor holds (read by a re-joining node)")
    @ApiResponse(responseCode = "200", description = "The keys")
    List<String> keys() {
        return core.keys();
    }
}
