package dev.replog.common.web;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.ServerHttpRequest;
import reactor.core.publisher.Mono;

/** Reads a request's whole body as bytes, for code that handles requests below the controllers. */
public final class RequestBodies {

    private RequestBodies() {
    }

    /**
     * The body's bytes, empty when there is none; past {@code maxBytes} (-1: no bound) it fails with
     * {@link DataBufferLimitException}, as WebFlux's own codecs do.
     */
    public static Mono<byte[]> read(ServerHttpRequest request, int maxBytes) {
        return DataBufferUtils.join(request.getBody(), maxBytes)
                .map(RequestBodies::bytesOf)
                .defaultIfEmpty(new byte[0]);
    }

    private static byte[] bytesOf(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return bytes;
        } finally {
            DataBufferUtils.release(buffer);
        }
    }
}
