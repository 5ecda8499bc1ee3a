package dev.replog.faulty;

import java.net.URI;
import java.util.Map;
import org.springframework.core.ResolvableType;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Writes problem+json answers from the fault filter, which runs before any controller and so
 * outside the reach of the {@code ProblemHandler}; it encodes with the application's own codecs,
 * so the answers look exactly like the handler's.
 */
@Component
class ProblemWriter {

    private static final ResolvableType PROBLEM_TYPE = ResolvableType.forClass(ProblemDetail.class);

    private final ServerCodecConfigurer codecs;

    ProblemWriter(ServerCodecConfigurer codecs) {
        this.codecs = codecs;
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
        response.setStatusCode(status);
        HttpHeaders headers = response.getHeaders();
        headers.remove(HttpHeaders.CONTENT_LENGTH); // a replaced answer's length no longer holds
        headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return writer().write(Mono.just(problem), PROBLEM_TYPE, MediaType.APPLICATION_PROBLEM_JSON, response, Map.of());
    }

    @SuppressWarnings("unchecked")
    private HttpMessageWriter<ProblemDetail> writer() {
        return (HttpMessageWriter<ProblemDetail>) codecs.getWriters().stream()
                .filter(writer -> writer.canWrite(PROBLEM_TYPE, MediaType.APPLICATION_PROBLEM_JSON))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no JSON encoder for problem details"));
    }
}
