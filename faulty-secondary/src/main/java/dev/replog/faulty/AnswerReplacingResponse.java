package dev.replog.faulty;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A response whose real answer is produced in full (the request is handled as usual) and then
 * discarded and replaced. Nothing reaches the client before the replacement: a status and headers
 * are only committed by the first write, which this decorator intercepts.
 */
final class AnswerReplacingResponse extends ServerHttpResponseDecorator {

    private final Function<ServerHttpResponse, Mono<Void>> replacement;
    private final AtomicBoolean replaced = new AtomicBoolean();

    /** @param replacement writes the new answer to the real response it is given */
    AnswerReplacingResponse(ServerHttpResponse delegate, Function<ServerHttpResponse, Mono<Void>> replacement) {
        super(delegate);
        this.replacement = replacement;
    }

    @Override
    public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
        return Flux.from(body).doOnNext(DataBufferUtils::release).then(Mono.defer(this::replace));
    }

    @Override
    public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
        return Flux.from(body).concatMap(Flux::from).doOnNext(DataBufferUtils::release).then(Mono.defer(this::replace));
    }

    @Override
    public Mono<Void> setComplete() {
        return replace();
    }

    private Mono<Void> replace() {
        if (replaced.compareAndSet(false, true)) {
            return replacement.apply(getDelegate());
        }
        return getDelegate().setComplete();
    }
}
