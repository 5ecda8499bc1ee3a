package dev.replog.faulty;

import dev.replog.common.protocol.AppendRequest;
import dev.replog.common.web.RequestBodies;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads an append request's body once so that an injected fault can say which entries it hit;
 * the filter replays the bytes to the controller. Used only when a fault is injected.
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

    /** For the log: "seq 5..9", "an empty batch after seq 4" or "a malformed batch". */
    String describe(byte[] body) {
        try {
            AppendRequest batch = json.readValue(body, AppendRequest.class);
            if (batch.entries().isEmpty()) {
                return "an empty batch after seq " + batch.prevSeq();
            }
            return "seq " + (batch.prevSeq() + 1) + ".." + batch.lastSeq();
        } catch (JacksonException | IllegalArgumentException e) {
            return "a malformed batch";
        }
    }
}
