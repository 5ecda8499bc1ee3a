package dev.replog.master.api;

import dev.replog.common.protocol.Entry;
import dev.replog.common.web.LogQuery;
import dev.replog.common.web.LogTail;
import dev.replog.master.log.MessageLog;
import dev.replog.master.write.BatchResult;
import dev.replog.master.write.WriteResult;
import dev.replog.master.write.WriteService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The public log API of the master: append with a write concern, read by seq. The plain writes
 * are served by {@link DirectWritePath} before they reach WebFlux; the append methods here serve
 * the rest (and are what the OpenAPI document shows).
 */
@RestController
@Tag(name = "messages", description = "Append to the log, read it and follow it")
class MessagesController {

    private static final String PROBLEM = MediaType.APPLICATION_PROBLEM_JSON_VALUE;
    private static final String WRITE_CONCERN = "write concern, if not in the body (both only if they agree)";
    private static final String LOCATION = "Location";
    private static final String RETRY_AFTER = "Retry-After";
    private static final String RETRY_WHEN = "seconds: while recovering, superseded or without a master";
    private static final String STANDBY = "this instance is a standby: Location is the same request on the active "
            + "master; nothing written";

    private final WriteService writes;
    private final WriteRequestParser parser;
    private final MessageLog messages;
    private final LogTail tail;

    MessagesController(WriteService writes, WriteRequestParser parser, MessageLog messages, LogTail tail) {
        this.writes = writes;
        this.parser = parser;
        this.messages = messages;
        this.tail = tail;
    }

    @Operation(summary = "Append a message with a write concern",
            description = "Answers once w nodes (the master counted) hold the entry; the request waits without "
                    + "blocking others. w: integer 1..n, \"majority\" or \"all\" (body or query, default 1).",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = WriteRequestDoc.class),
                    examples = @ExampleObject("{\"message\": \"hello\", \"w\": 2, \"timeoutMs\": 5000}"))))
    @ApiResponse(responseCode = "201", description = "w nodes hold the entry",
            headers = @Header(name = LOCATION, description = "/messages/{seq}", schema = @Schema(type = "string")),
            content = @Content(schema = @Schema(implementation = WriteResult.class)))
    @ApiResponse(responseCode = "200", description = "Idempotency-Key seen before: the original entry (once w nodes "
            + "hold it), nothing appended",
            headers = @Header(name = LOCATION, description = "/messages/{seq}", schema = @Schema(type = "string")),
            content = @Content(schema = @Schema(implementation = WriteResult.class)))
    @ApiResponse(responseCode = "307", description = STANDBY, content = @Content(mediaType = PROBLEM,
            schema = @Schema(ref = ApiDocumentation.ACTIVE_MASTER)))
    @ApiResponse(responseCode = "400", description = "malformed JSON, not an object, a duplicated or unknown field, "
            + "empty body, missing or non-string message, bad w (0, \"most\", true, 1.5, padded, w > n), w in body "
            + "and query disagreeing, bad timeoutMs, bad Idempotency-Key; nothing written",
            content = @Content(mediaType = PROBLEM))
    @ApiResponse(responseCode = "413", description = "message over replog.max-message-bytes (1 MiB of UTF-8), or a "
            + "body over 7 MB; nothing written", content = @Content(mediaType = PROBLEM))
    @ApiResponse(responseCode = "415", description = "body is not JSON", content = @Content(mediaType = PROBLEM))
    @ApiResponse(responseCode = "422", description = "Idempotency-Key reused with another message",
            content = @Content(mediaType = PROBLEM, schema = @Schema(ref = ApiDocumentation.KEY_REUSED)))
    @ApiResponse(responseCode = "503", description = "nothing written: read-only (fewer than a quorum of nodes up: "
            + "mode, nodesUp, quorum), recovering, no permanent ids obtainable, superseded by a newer master, the "
            + "master's log store failed (restart it), a log write failed (appended: false), or \"No master\" (a "
            + "standby that knows no active master now). Also a write that was waiting for its write concern when a "
            + "newer master took over: \"Superseded\" with seq, acks and w, indefinite like a 504 (the entry may or "
            + "may not survive in the newer master's log)",
            headers = @Header(name = RETRY_AFTER, description = RETRY_WHEN, schema = @Schema(type = "integer")),
            content = @Content(mediaType = PROBLEM, schema = @Schema(ref = ApiDocumentation.WRITE_UNAVAILABLE)))
    @ApiResponse(responseCode = "504", description = "timeoutMs passed first (seq, acks, w): the entry stays in the "
            + "log and keeps replicating", content = @Content(mediaType = PROBLEM,
                    schema = @Schema(ref = ApiDocumentation.WRITE_WAIT)))
    @ApiResponse(responseCode = "507", description = "the master's disk is full: nothing was appended (appended: false)",
            content = @Content(mediaType = PROBLEM, schema = @Schema(ref = ApiDocumentation.NOT_APPENDED)))
    @PostMapping(path = "/messages", consumes = {MediaType.APPLICATION_JSON_VALUE, "application/*+json"},
            produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<WriteResult>> append(
            @RequestBody(required = false) byte[] body,
            @Parameter(description = WRITE_CONCERN, schema = @Schema(ref = ApiDocumentation.WRITE_CONCERN))
            @RequestParam(name = "w", required = false) String w,
            @Parameter(description = "bound on the wait, ms, if not in the body (both only if they agree)",
                    schema = @Schema(type = "integer", format = "int64", minimum = "1", maximum = "3600000"))
            @RequestParam(name = "timeoutMs", required = false) String timeoutMs,
            @Parameter(description = "makes a retry safe: the same key again answers the original entry",
                    schema = @Schema(type = "string", minLength = 1, maxLength = 128))
            @RequestHeader(name = "Idempotency-Key", required = false) String key) {
        return Mono.fromSupplier(() -> parser.parse(body, w, timeoutMs, key))
                .flatMap(writes::write)
                .map(MessagesController::toResponse);
    }

    @Operation(summary = "Append a batch of messages with one write concern",
            description = "Appends the messages as consecutive entries (all or none, in array order; no other write "
                    + "lands between them) and answers once w nodes hold the whole batch. Same w, timeoutMs and "
                    + "Idempotency-Key rules as POST /messages. At most replog.batch.max-messages messages "
                    + "(1000, and at most replog.ids.range-size) and replog.batch.max-bytes (4 MB) together.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = BatchRequestDoc.class),
                    examples = @ExampleObject("{\"messages\": [\"a\", \"b\"], \"w\": 2}"))))
    @ApiResponse(responseCode = "201", description = "w nodes hold every entry of the batch",
            headers = @Header(name = LOCATION, description = "/messages/{first}", schema = @Schema(type = "string")),
            content = @Content(schema = @Schema(implementation = BatchResult.class)))
    @ApiResponse(responseCode = "200", description = "Idempotency-Key seen before: the original batch, nothing appended",
            headers = @Header(name = LOCATION, description = "/messages/{first}", schema = @Schema(type = "string")),
            content = @Content(schema = @Schema(implementation = BatchResult.class)))
    @ApiResponse(responseCode = "307", description = STANDBY, content = @Content(mediaType = PROBLEM,
            schema = @Schema(ref = ApiDocumentation.ACTIVE_MASTER)))
    @ApiResponse(responseCode = "400", description = "malformed JSON, missing or empty messages, a non-string item, "
            + "bad w or timeoutMs", content = @Content(mediaType = PROBLEM))
    @ApiResponse(responseCode = "413", description = "too many messages, a message over replog.max-message-bytes, "
            + "or all together over replog.batch.max-bytes", content = @Content(mediaType = PROBLEM))
    @ApiResponse(responseCode = "415", description = "body is not JSON", content = @Content(mediaType = PROBLEM))
    @ApiResponse(responseCode = "422", description = "Idempotency-Key reused with other messages",
            content = @Content(mediaType = PROBLEM, schema = @Schema(ref = ApiDocumentation.KEY_REUSED)))
    @ApiResponse(responseCode = "503", description = "nothing written: read-only, recovering, no permanent ids "
            + "obtainable, superseded by a newer master, the master's log store failed (restart it), a log write "
            + "failed (appended: false), or \"No master\" (a standby that knows no active master now); \"Superseded\" "
            + "with seq, acks and w when a newer master took over while the batch waited: indefinite, like a 504",
            headers = @Header(name = RETRY_AFTER, description = RETRY_WHEN, schema = @Schema(type = "integer")),
            content = @Content(mediaType = PROBLEM, schema = @Schema(ref = ApiDocumentation.WRITE_UNAVAILABLE)))
    @ApiResponse(responseCode = "504", description = "timeoutMs passed first (seq of the last entry, acks, w): the "
            + "batch stays and replicates", content = @Content(mediaType = PROBLEM,
                    schema = @Schema(ref = ApiDocumentation.WRITE_WAIT)))
    @ApiResponse(responseCode = "507", description = "the master's disk is full: nothing of the batch was appended "
            + "(appended: false)", content = @Content(mediaType = PROBLEM,
                    schema = @Schema(ref = ApiDocumentation.NOT_APPENDED)))
    @PostMapping(path = "/messages/batch", consumes = {MediaType.APPLICATION_JSON_VALUE, "application/*+json"},
            produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<BatchResult>> appendBatch(
            @RequestBody(required = false) byte[] body,
            @Parameter(description = WRITE_CONCERN, schema = @Schema(ref = ApiDocumentation.WRITE_CONCERN))
            @RequestParam(name = "w", required = false) String w,
            @Parameter(description = "bound on the wait, ms, if not in the body (both only if they agree)",
                    schema = @Schema(type = "integer", format = "int64", minimum = "1", maximum = "3600000"))
            @RequestParam(name = "timeoutMs", required = false) String timeoutMs,
            @Parameter(description = "makes a retry safe: the same key again answers the original entry",
                    schema = @Schema(type = "string", minLength = 1, maxLength = 128))
            @RequestHeader(name = "Idempotency-Key", required = false) String key) {
        return Mono.fromSupplier(() -> parser.parseBatch(body, w, timeoutMs, key))
                .flatMap(writes::writeBatch)
                .map(result -> located(result.replay(), result.first()).body(result));
    }

    @Operation(summary = "Read entries in seq order", description = "Every entry the master appended, acknowledged "
            + "or not: at most `limit` entries and at most 8 MiB of stored records (at least one entry). Read on "
            + "from the last seq + 1 until a page is empty.")
    @ApiResponse(responseCode = "200", description = "A JSON array of {seq, id, message}, in seq order")
    @ApiResponse(responseCode = "400", description = "from or limit not a non-negative integer, or limit over 10000",
            content = @Content(mediaType = PROBLEM))
    @GetMapping(path = "/messages", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<List<Entry>> read(
            @Parameter(description = "first seq (default 1)", schema = @Schema(type = "integer", format = "int64",
                    minimum = "0")) @RequestParam(name = "from", required = false) String from,
            @Parameter(description = "at most this many entries (default and maximum 10000)", schema = @Schema(
                    type = "integer", minimum = "0", maximum = "10000"))
            @RequestParam(name = "limit", required = false) String limit) {
        // reads go to the segment files: not on the event loop
        return Mono.fromSupplier(() -> LogQuery.page(messages.store(), from, limit))
                .subscribeOn(Schedulers.boundedElastic());
    }

    @Operation(summary = "Follow the log as Server-Sent Events",
            description = "One event per entry (event: entry, id: <seq>, data: {seq, id, message}): the history from "
                    + "the entry after Last-Event-ID, else from ?from= (default 1), then each new durable entry as it "
                    + "comes, without gap or duplicate. A slow reader slows only itself.")
    @ApiResponse(responseCode = "200", description = "The event stream (event: entry, id: <seq>, data: the entry)",
            content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "400", description = "from or Last-Event-ID not a non-negative integer",
            content = @Content(mediaType = PROBLEM))
    @GetMapping(path = "/messages/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<Entry>> stream(
            @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
            @RequestParam(name = "from", required = false) String from) {
        return tail.events(lastEventId, from);
    }

    @Operation(summary = "Read one entry")
    @ApiResponse(responseCode = "200", description = "The entry {seq, id, message}")
    @ApiResponse(responseCode = "400", description = "seq is not a positive integer", content = @Content(mediaType = PROBLEM))
    @ApiResponse(responseCode = "404", description = "no entry with this seq", content = @Content(mediaType = PROBLEM))
    @GetMapping(path = "/messages/{seq}", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<Entry> readOne(@Parameter(schema = @Schema(type = "integer", format = "int64", minimum = "1"))
            @PathVariable("seq") String seq) {
        return Mono.fromSupplier(() -> LogQuery.one(messages.store(), seq))
                .subscribeOn(Schedulers.boundedElastic());
    }

    private static ResponseEntity<WriteResult> toResponse(WriteResult result) {
        return located(result.replay(), result.seq()).body(result);
    }

    /** 201 (200 for a replay) with the entry's Location, as {@link DirectWritePath} answers. */
    private static ResponseEntity.BodyBuilder located(boolean replay, long seq) {
        return ResponseEntity.status(DirectWritePath.statusOf(replay))
                .header(HttpHeaders.LOCATION, DirectWritePath.locationOf(seq));
    }

    /** The documented shape of the request body (parsed by {@link WriteRequestParser}). */
    record WriteRequestDoc(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "hello") String message,
            @Schema(ref = ApiDocumentation.WRITE_CONCERN) Object w,
            @Schema(description = "bound on the wait, ms", minimum = "1", maximum = "3600000") Long timeoutMs) {
    }

    /** The documented shape of a batch request body (parsed by {@link WriteRequestParser}). */
    record BatchRequestDoc(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "[\"a\", \"b\"]") List<String> messages,
            @Schema(ref = ApiDocumentation.WRITE_CONCERN) Object w,
            @Schema(description = "bound on the wait, ms", minimum = "1", maximum = "3600000") Long timeoutMs) {
    }
}
