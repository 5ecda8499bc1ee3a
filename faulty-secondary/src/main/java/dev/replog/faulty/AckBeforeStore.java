package dev.replog.faulty;

import dev.replog.common.protocol.AppendRequest;
import dev.replog.common.protocol.AppendResponse;
import dev.replog.common.protocol.ReplicationPaths;
import dev.replog.secondary.replication.DirectAppendGate;
import dev.replog.secondary.replication.ReplicaEpoch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * TEST-ONLY, with {@code replog.testing.ack-before-store=true}: answers every
 * {@code POST /replication/append} at once with {@code ackedSeq} the batch's last seq and
 * {@code epoch} the higher of the node's and the batch's, and stores nothing. The master then counts
 * acknowledgements for entries this node never holds: a deliberately broken node that loses
 * acknowledged writes, so that the chaos suite can prove its checker reports them. Off (the
 * default), every request passes through untouched.
 *
 * <p>It stands where the secondary's append handler would: after the cluster secret's filter and
 * the {@link FaultFilter} (an outsider still gets 401, and faults still apply around it), and it
 * closes the {@link DirectAppendGate} so that no append skips it. A body that does not read as a
 * batch goes on to the handler, which refuses it as it refuses any malformed batch.
 */
@Component
class AckBeforeStore implements WebFilter, Ordered, DirectAppendGate {

    /** After the fault filter: faults wrap this stand-in for the handler. */
    static final int ORDER = FaultFilter.ORDER + 100;

    private static final Logger log = LoggerFactory.getLogger(AckBeforeStore.class);

    private final boolean enabled;
    private final ReplicaEpoch replica;
    private final BatchReader batches;
    private final FaultProblemWriter problems;
    private final JsonMapper json;

    AckBeforeStore(TestingProperties properties, ReplicaEpoch replica, BatchReader batches,
            FaultProblemWriter problems, JsonMapper json) {
        this.enabled = properties.ackBeforeStore();
        this.replica = replica;
        this.batches = batches;
        this.problems = problems;
        this.json = json;
        if (enabled) {
            log.warn("replog.testing.ack-before-store=true: this node acknowledges batches WITHOUT storing them. "
                    + "A deliberately broken build for tests only; it loses acknowledged writes.");
        }
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public boolean open() {
        return !enabled;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        if (!enabled || !isJsonAppend(request)) {
            return chain.filter(exchange);
        }
        String path = request.getPath().pathWithinApplication().value();
        return batches.read(request)
                .flatMap(body -> {
                    AppendRequest batch = batches.parse(body);
                    if (batch == null) {
                        return chain.filter(exchange.mutate().request(batches.replayed(request, body)).build());
                    }
                    return answer(exchange.getResponse(), ackWithoutStoring(batch));
                })
                .onErrorResume(DataBufferLimitException.class,
                        tooLarge -> problems.writeTooLarge(exchange.getResponse(), path));
    }

    /** The answer the master takes for "stored up to the batch's last seq". */
    AppendResponse ackWithoutStoring(AppendRequest batch) {
        return new AppendResponse(batch.lastSeq(), Math.max(replica.epoch(), batch.epoch()));
    }

    private Mono<Void> answer(ServerHttpResponse response, AppendResponse answer) {
        response.setStatusCode(HttpStatus.OK);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(json.writeValueAsBytes(answer))));
    }

    /** The requests the secondary's append handler takes: POST, the exact path, a JSON body. */
    private static boolean isJsonAppend(ServerHttpRequest request) {
        MediaType type = request.getHeaders().getContentType();
        return HttpMethod.POST.equals(request.getMethod())
                && ReplicationPaths.APPEND.equals(request.getPath().pathWithinApplication().value())
                && type != null && MediaType.APPLICATION_JSON.isCompatibleWith(type);
    }
}
