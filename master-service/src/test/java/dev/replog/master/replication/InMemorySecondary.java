package dev.replog.master.replication;

import dev.replog.common.log.LogRecord;
import dev.replog.common.protocol.AppendRequest;
import dev.replog.common.protocol.AppendResponse;
import dev.replog.common.protocol.Entry;
import dev.replog.common.protocol.ReplicationPaths;
import dev.replog.common.protocol.ReplicationStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * A secondary whose log lives in memory, speaking the replication protocol as the real one does:
 * it follows the highest epoch it is sent (a fence is an empty batch) and refuses older ones (409
 * stale-epoch), refuses a batch past its end (409 gap) or whose previous entry is not the master's
 * (409 mismatch), skips entries it holds, rolls back from the first that differs, rolls back
 * entries an older epoch wrote past {@code masterLastSeq}, stores each entry with the epoch that
 * wrote it, and serves its log (with those epochs) to a recovering master. Every request is
 * counted. {@link #takesAppends} false makes it answer every append 503 (a fence too) while
 * heartbeats still reach it, {@link #takesEntries} false every append that carries entries (it
 * still takes fences); {@link #up} false makes it answer 503 to everything, as a node that is down.
 */
public final class InMemorySecondary implements AutoCloseable {

    public final AtomicBoolean up = new AtomicBoolean(true);
    public final AtomicBoolean takesAppends = new AtomicBoolean(true);
    public final AtomicBoolean takesEntries = new AtomicBoolean(true);
    /** The highest epoch followed. */
    public final AtomicLong epoch = new AtomicLong();
    /** Requests of every kind answered so far (appends, heartbeats, reads). */
    public final AtomicInteger requests = new AtomicInteger();
    /** Reads of its log ({@code GET /replication/entries}) show no entry past this seq; its status still does. */
    public final AtomicLong readableUpTo = new AtomicLong(Long.MAX_VALUE);
    /** Entries appends carried that the log already held (same seq and id): shipped twice. */
    public final AtomicInteger duplicates = new AtomicInteger();
    private final List<LogRecord> log = new ArrayList<>();
    private final String name;
    private final StandInSecondary server;

    public InMemorySecondary(String name) {
        this.name = name;
        this.server = new StandInSecondary((request, response) -> {
            requests.incrementAndGet();
            if (!up.get()) {
                return response.status(503).send().then();
            }
            if (request.uri().startsWith(ReplicationPaths.STATUS)) {
                return json(response, 200, this::status);
            }
            if (request.uri().startsWith(ReplicationPaths.ENTRIES)) {
                QueryStringDecoder query = new QueryStringDecoder(request.uri());
                long from = Long.parseLong(query.parameters().get("from").get(0));
                int limit = Integer.parseInt(query.parameters().get("limit").get(0));
                List<String> maxBytes = query.parameters().get("maxBytes");
                long budget = maxBytes == null ? Long.MAX_VALUE : Long.parseLong(maxBytes.get(0));
                return json(response, 200, () -> LogRecord.keyed(records(from, limit, budget)));
            }
            return request.receive().aggregate().asByteArray().flatMap(body -> {
                AppendRequest append = JsonMapper.shared().readValue(body, AppendRequest.class);
                if (!takesAppends.get() || (!takesEntries.get() && !append.entries().isEmpty())) {
                    return response.status(503).send().then();
                }
                return apply(append, response);
            });
        });
    }

    /** Puts these records in the log, as if an earlier master had replicated them. */
    public synchronized void holds(List<LogRecord> records) {
        log.addAll(records);
    }

    /** The log's entries. */
    public synchronized List<Entry> entries() {
        return log.stream().map(LogRecord::toEntry).toList();
    }

    /** The log's records, with the epoch that wrote each. */
    public synchronized List<LogRecord> records() {
        return List.copyOf(log);
    }

    /** As a secondary's store reads: at most {@code limit} records and {@code maxBytes} of messages, at least one. */
    private synchronized List<LogRecord> records(long from, int limit, long maxBytes) {
        List<LogRecord> page = new ArrayList<>();
        long bytes = 0;
        for (LogRecord record : log) {
            if (record.seq() < from || record.seq() > readableUpTo.get()) {
                continue;
            }
            bytes += record.message().length();
            if (page.size() == limit || (bytes > maxBytes && !page.isEmpty())) {
                break;
            }
            page.add(record);
        }
        return page;
    }

    private synchronized ReplicationStatus status() {
        if (log.isEmpty()) {
            return new ReplicationStatus(name, 0, 0, epoch.get(), 0);
        }
        LogRecord last = log.get(log.size() - 1);
        return new ReplicationStatus(name, last.seq(), last.id(), epoch.get(), last.epoch());
    }

    private Mono<Void> apply(AppendRequest append, HttpServerResponse response) {
        synchronized (this) {
            long size = log.size();
            if (append.epoch() < epoch.get()) {
                return refuse(response, "stale-epoch", size);
            }
            epoch.set(append.epoch());
            if (append.prevSeq() > size) {
                return refuse(response, "gap", size);
            }
            if (append.prevSeq() > 0 && log.get((int) append.prevSeq() - 1).id() != append.prevId()) {
                return refuse(response, "mismatch", Math.min(append.prevSeq() - 1, size));
            }
            for (Entry entry : append.entries()) {
                if (entry.seq() <= log.size() && log.get((int) entry.seq() - 1).id() == entry.id()) {
                    duplicates.incrementAndGet();
                    continue;
                }
                truncateAfter(entry.seq() - 1);
                log.add(LogRecord.of(entry, append.epochAt(entry.seq()), append.keyAt(entry.seq())));
            }
            Long masterLastSeq = append.masterLastSeq();
            if (masterLastSeq != null && log.size() > masterLastSeq
                    && log.get(log.size() - 1).epoch() < append.epoch()) {
                truncateAfter(masterLastSeq);
            }
        }
        return json(response, 200, () -> new AppendResponse(entries().size(), epoch.get()));
    }

    private void truncateAfter(long seq) {
        while (log.size() > seq) {
            log.remove(log.size() - 1);
        }
    }

    private Mono<Void> refuse(HttpServerResponse response, String reason, long ackedSeq) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("title", reason);
        problem.put("status", 409);
        problem.put("reason", reason);
        problem.put("ackedSeq", ackedSeq);
        problem.put("epoch", epoch.get());
        return json(response, 409, () -> problem);
    }

    private static Mono<Void> json(HttpServerResponse response, int status, Supplier<Object> body) {
        return response.status(status).header("Content-Type", "application/json")
                .sendString(Mono.fromSupplier(() -> JsonMapper.shared().writeValueAsString(body.get()))).then();
    }

    /** This node as one entry of {@code replog.secondaries}: {@code name=url}. */
    public String asSecondary() {
        return server.asSecondary(name);
    }

    @Override
    public void close() {
        server.close();
    }
}
