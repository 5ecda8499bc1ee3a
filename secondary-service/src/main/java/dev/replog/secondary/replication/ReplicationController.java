package dev.replog.secondary.replication;

import dev.replog.common.log.LogStore;
import dev.replog.common.protocol.ActiveMaster;
import dev.replog.common.protocol.AppendRequest;
import dev.replog.secondary.leader.KnownMaster;
import io.swagger.v3.oas.annotations.Parameter;
import org.springframework.web.bind.annotation.RequestHeader;
import dev.replog.common.protocol.AppendResponse;
import dev.replog.common.protocol.KeyedEntries;
import dev.replog.common.protocol.ReplicationPaths;
import dev.replog.common.protocol.ReplicationStatus;
import dev.replog.common.web.LogQuery;
import dev.replog.common.web.LogTail;
import dev.replog.secondary.config.ApiDocumentation;
import dev.replog.secondary.config.SecondaryProperties;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** The internal endpoints the master calls: append batches, heartbeats and recovery reads. */
@RestController
@Tag(name = "replication", description = "Internal: called by the master, with the cluster secret")
class ReplicationController {

    private static final String PROBLEM = MediaType.APPLICATION_PROBLEM_JSON_VALUE;

    private final ReplicaLog replicaLog;
    private final LogStore store;
    private final SecondaryProperties properties;
    private final LogTail tail;
    private final KnownMaster knownMaster;

    ReplicationController(ReplicaLog replicaLog, LogStore store, SecondaryProperties properties, LogTail tail,
            KnownMaster knownMaster) {
        this.knownMaster = knownMaster;
        this.replicaLog = replicaLog;
        this.store = store;
        this.properties = properties;
        this.tail = tail;
    }

    @PostMapping(path = ReplicationPaths.APPEND, consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Append a batch of consecutive entries",
            description = "Stores the entries after the log's contiguous prefix and answers the watermark "
                    + "ackedSeq (end of the contiguous, durable prefix). Entries already held are skipped: "
                    + "a duplicate batch is answered 200 with the watermark. Entries that differ from the "
                    + "log's (left by an older master) are rolled back, and so are entries an older master left "
                    + "past masterLastSeq (the end of the master's log); an empty batch with masterLastSeq asks "
                    + "for just that. A higher epoch is stored durably before the answer, and from then on "
                    + "batches of lower epochs are refused: a recovering master fences the secondaries with an "
                    + "empty batch after seq 0 (prevSeq 0, prevId 0, no masterLastSeq) before it reads their "
                    + "state. "
                    + "The answer comes once the log up to the batch is durable (replog.storage.fsync). "
                    + "A batch that starts past the end of the log (it overtook its predecessor) is kept aside "
                    + "and answered once the gap is filled and it is applied, or 409 gap after "
                    + "replog.replication.gap-wait. "
                    + "The master resends from ackedSeq + 1.")
    @ApiResponse(responseCode = "200", description = "Stored (or already held); body: the watermark")
    @ApiResponse(responseCode = "400", description = "Malformed batch (bad JSON, non-consecutive entries); nothing changed",
            content = @Content(mediaType = PROBLEM))
    @ApiResponse(responseCode = "409", description = "Refused: reason stale-epoch, gap (the gap did not fill "
            + "within replog.replication.gap-wait; the batch stays aside until it does) or mismatch; members "
            + "ackedSeq and epoch say where to resume",
            content = @Content(mediaType = PROBLEM, schema = @Schema(ref = ApiDocumentation.APPEND_REJECTED)))
    @ApiResponse(responseCode = "413", description = "A message is over replog.max-message-bytes; nothing changed",
            content = @Content(mediaType = PROBLEM))
    @ApiResponse(responseCode = "415", description = "Not JSON", content = @Content(mediaType = PROBLEM))
    @ApiResponse(responseCode = "503", description = "Epoch unknown: the node lost its epoch file and has not yet "
            + "learned the newest epoch from the sync cluster; nothing changed, the master retries. Also Log write "
            + "failed (appended: false) and Log store failed (the node takes no appends until it is restarted)",
            content = @Content(mediaType = PROBLEM))
    @ApiResponse(responseCode = "507", description = "The node's disk is full: nothing of the batch was stored "
            + "(appended: false); the master retries", content = @Content(mediaType = PROBLEM,
                    schema = @Schema(ref = ApiDocumentation.NOT_APPENDED)))
    Mono<AppendResponse> append(@RequestBody AppendRequest request,
            @Parameter(hidden = true) @RequestHeader(name = ActiveMaster.HEADER, required = false) String master) {
        knownMaster.heard(master);
        Duration delay = properties.replication().delay();
        Mono<AppendResponse> appended = replicaLog.append(request)
                .doOnNext(response -> tail.advanced(response.ackedSeq()));
        // an artificial slow replica for demos; Mono.delay waits without holding a thread
        return delay.isZero() ? appended : Mono.delay(delay).then(appended);
    }

    @GetMapping(ReplicationPaths.STATUS)
    @Operation(summary = "This replica's state (the master's heartbeat)",
            description = "name, ackedSeq (end of the contiguous, durable prefix), lastId (the id at ackedSeq, "
                    + "0 when empty), epoch (the highest master epoch accepted, 0 when none), lastEpoch (the epoch "
                    + "of the master that wrote the entry at ackedSeq, 0 when empty: with ackedSeq, how up to date "
                    + "the log is) and, only while the node takes no appends, waitingFor (what it waits for: a node "
                    + "that lost its epoch file learns the newest epoch from the sync cluster first).")
    @ApiResponse(responseCode = "200", description = "The replica's state")
    Mono<ReplicationStatus> status(
            @Parameter(hidden = true) @RequestHeader(name = ActiveMaster.HEADER, required = false) String master) {
        knownMaster.heard(master);
        // reads the log on disk and may wait for the writer's lock: not on the event loop
        return Mono.fromSupplier(() -> replicaLog.status(properties.nodeName()))
                .subscribeOn(Schedulers.boundedElastic());
    }

    @GetMapping(ReplicationPaths.ENTRIES)
    @Operation(summary = "Entries with their idempotency keys (a recovering master's read)",
            description = "As GET /messages (the contiguous prefix, from seq `from`, at most `limit` entries "
                    + "and, when `maxBytes` is given, at most that many bytes of stored records, at least one entry), "
                    + "plus `keys`: the Idempotency-Key each entry was written with, by seq (omitted when none), "
                    + "so that a master that lost its disk still recognises retried requests, and `epochs`: the "
                    + "epoch of the master that wrote each entry, by seq.")
    @ApiResponse(responseCode = "200", description = "{entries: [{seq, id, message}], keys: {seq: key}, "
            + "epochs: {seq: epoch}}")
    @ApiResponse(responseCode = "400", description = "from, limit or maxBytes not a non-negative integer, or limit over 10000",
            content = @Content(mediaType = PROBLEM))
    Mono<KeyedEntries> entries(
            @Parameter(description = "first seq (default 1)",
                    schema = @Schema(type = "integer", format = "int64", minimum = "0"))
            @RequestParam(required = false) String from,
            @Parameter(description = "at most this many entries (default and maximum 10000)",
                    schema = @Schema(type = "integer", minimum = "0", maximum = "10000"))
            @RequestParam(required = false) String limit,
            @Parameter(description = "at most this many bytes of stored records (at least one entry); without it "
                    + "only `limit` counts", schema = @Schema(type = "integer", format = "int64", minimum = "0"))
            @RequestParam(required = false) String maxBytes) {
        return Mono.fromSupplier(() -> LogQuery.keyedPage(store, from, limit, maxBytes))
                .subscribeOn(Schedulers.boundedElastic());
    }
}
