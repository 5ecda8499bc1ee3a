package dev.replog.secondary.api;

import dev.replog.common.log.LogStore;
import dev.replog.common.protocol.Entry;
import dev.replog.common.web.LogQuery;
import dev.replog.common.web.LogTail;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.RequestHeader;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Public reads. The log holds only the contiguous prefix (entries past a gap are kept aside by the
 * replica), so a secondary holding seq 1, 2 and 4 shows 1 and 2 until 3 arrives. Reads go to the
 * segment files, so they run on the bounded-elastic scheduler, never on the event loop.
 */
@RestController
@Tag(name = "messages", description = "Reads of the replicated log")
class MessagesController {

    private static final String PROBLEM = MediaType.APPLICATION_PROBLEM_JSON_VALUE;

    private final LogStore store;
    private final LogTail tail;

    MessagesController(LogStore store, LogTail tail) {
        this.store = store;
        this.tail = tail;
    }

    @GetMapping(path = "/messages/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "Follow the contiguous prefix as Server-Sent Events",
            description = "One event per entry (event: entry, id: <seq>, data: {seq, id, message}): the history from "
                    + "the entry after Last-Event-ID, else from ?from= (default 1), then each entry as it becomes "
                    + "durable here, without gap or duplicate; entries past a gap appear only once it is filled.")
    @ApiResponse(responseCode = "200", description = "The event stream (event: entry, id: <seq>, data: the entry)",
            content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "400", description = "from or Last-Event-ID not a non-negative integer",
            content = @Content(mediaType = PROBLEM))
    Flux<ServerSentEvent<Entry>> stream(
            @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
            @RequestParam(required = false) String from) {
        return tail.events(lastEventId, from);
    }

    @GetMapping("/messages")
    @Operation(summary = "Entries in seq order",
            description = "The contiguous prefix this replica holds, from seq `from`, at most `limit` entries and at most "
                    + "8 MiB of stored records (at least one entry). Read on from the last seq + 1 until a page is empty.")
    @ApiResponse(responseCode = "200", description = "A JSON array of {seq, id, message}")
    @ApiResponse(responseCode = "400", description = "from or limit not a non-negative integer, or limit over 10000",
            content = @Content(mediaType = PROBLEM))
    Mono<List<Entry>> messages(
            @Parameter(description = "first seq (default 1)",
                    schema = @Schema(type = "integer", format = "int64", minimum = "0"))
            @RequestParam(required = false) String from,
            @Parameter(description = "at most this many entries (default and maximum 10000)",
                    schema = @Schema(type = "integer", minimum = "0", maximum = "10000"))
            @RequestParam(required = false) String limit) {
        return Mono.fromSupplier(() -> LogQuery.page(store, from, limit))
                .subscribeOn(Schedulers.boundedElastic());
    }

    @GetMapping("/messages/{seq}")
    @Operation(summary = "One entry")
    @ApiResponse(responseCode = "200", description = "The entry {seq, id, message}")
    @ApiResponse(responseCode = "400", description = "seq not a positive integer", content = @Content(mediaType = PROBLEM))
    @ApiResponse(responseCode = "404", description = "This replica does not show that seq (yet)",
            content = @Content(mediaType = PROBLEM))
    Mono<Entry> message(@Parameter(schema = @Schema(type = "integer", format = "int64", minimum = "1"))
            @PathVariable String seq) {
        return Mono.fromSupplier(() -> LogQuery.one(store, seq))
                .subscribeOn(Schedulers.boundedElastic());
    }
}
