package dev.replog.faulty;

import dev.replog.common.web.ProblemWriter;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Writes problem+json answers from the fault filter, which runs before any controller and so
 * outside the reach of the {@code ProblemHandler}; an injected fault's answer names the fault.
 */
@Component
class FaultProblemWriter {

    private final ProblemWriter problems;

    FaultProblemWriter(ServerCodecConfigurer codecs) {
        this.problems = new ProblemWriter(codecs);
    }

    /**
     * Replaces whatever status and headers {@code response} had (it must not be committed yet) and
     * writes the problem, with a {@code fault} member naming the injected fault (none when null).
     */
    Mono<Void> write(ServerHttpResponse response, String path, HttpStatus status, String title, String detail,
            InjectedFaults.Kind fault) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        problem.setInstance(URI.create(path));
        if (fault != null) {
            problem.setType(URI.create("https://replog.dev/problems/injected-fault"));
            problem.setProperty("fault", fault.tag());
        }
        return problems.write(response, problem);
    }

    /**
     * The 413 for a body past the size limit, met while a filter read it: consumed, it can be
     * neither replayed nor stored.
     */
    Mono<Void> writeTooLarge(ServerHttpResponse response, String path) {
        return write(response, path, HttpStatus.CONTENT_TOO_LARGE, "Payload too large", "request body too large",
                null);
    }
}
