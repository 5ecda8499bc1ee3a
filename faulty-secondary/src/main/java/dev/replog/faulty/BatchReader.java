package dev.replog.faulty;

import dev.replog.common.protocol.AppendRequest;
import dev.replog.common.web.RequestBodies;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads an append request's body once, for a filter that must know the batch (the entries an
 * injected fault hit, the batch {@link AckBeforeStore} acknowledges), and replays the bytes to the
 * handler when the request goes on. Used only while a fault or a test-only defect is switched on.
 */
@Component
class BatchReader {

    private final JsonMapper json;
    private final int maxBytes;

    BatchReader(JsonMapper json, @Value("${spring.http.codecs.max-in-memory-size:16MB}") DataSize maxBytes) {
        this.json = json;
        this.maxBytes = (int) Math.min(Integer.MAX_VALUE, maxBytes.toBytes());
    }

    /** The whole body (empty when there is none); fails with {@code DataBufferLimitException} past the limit. */
    Mono<byte[]> read(ServerHttpRequest request) {
        return RequestBodies.read(request, maxBytes);
    }

    /** {@code request} with {@code body}, already read from it, as its body again. */
    ServerHttpRequest replayed(ServerHttpRequest request, byte[] body) {
        return new ServerHttpRequestDecorator(request) {
            @Override
            public Flux<DataBuffer> getBody() {
                return Flux.defer(() -> Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(body)));
            }
        };
    }

    /** The batch, or null when the body does not read as one (the handler refuses it). */
    AppendRequest parse(byte[] body) {
        try {
            return json.readValue(body, AppendRequest.class);
        } catch (JacksonException | IllegalArgumentException e) {
            return null;
        }
    }

    /** For the log: "seq 5..9", "an empty batch after seq 4" or "a malformed batch". */
    String describe(byte[] body) {
        AppendRequest batch = parse(body);
        if (batch == null) {
            return "a malformed batch";
        }
        if (batch.entries().isEmpty()) {
            return "an empty batch after seq " + batch.prevSeq();
        }
        return "seq " + (batch.prevSeq() + 1) + ".." + batch.lastSeq();
    }
}
