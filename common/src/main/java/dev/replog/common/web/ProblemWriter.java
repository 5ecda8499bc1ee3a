package dev.replog.common.web;

import java.util.Map;
import org.springframework.core.ResolvableType;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Mono;

/**
 * Writes a problem+json answer straight to a response, for code that runs outside the reach of
 * {@link ProblemHandler} (web filters, the master's direct write path). It encodes with the
 * application's own codecs, so the answers read exactly like the handler's.
 */
public final class ProblemWriter {

    private static final ResolvableType PROBLEM_TYPE = ResolvableType.forClass(ProblemDetail.class);

    private final ServerCodecConfigurer codecs;
    private volatile HttpMessageWriter<ProblemDetail> writer;

    public ProblemWriter(ServerCodecConfigurer codecs) {
        this.codecs = codecs;
    }

    /**
     * Replaces whatever status and headers {@code response} had (it must not be committed yet)
     * with the problem's status and {@code application/problem+json}, and writes the problem.
     */
    public Mono<Void> write(ServerHttpResponse response, ProblemDetail problem) {
        response.setStatusCode(HttpStatusCode.valueOf(problem.getStatus()));
        HttpHeaders headers = response.getHeaders();
        headers.remove(HttpHeaders.CONTENT_LENGTH); // a replaced answer's length no longer holds
        headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return writer().write(Mono.just(problem), PROBLEM_TYPE, MediaType.APPLICATION_PROBLEM_JSON, response, Map.of());
    }

    @SuppressWarnings("unchecked")
    private HttpMessageWriter<ProblemDetail> writer() {
        HttpMessageWriter<ProblemDetail> found = writer;
        if (found == null) {
            found = (HttpMessageWriter<ProblemDetail>) codecs.getWriters().stream()
                    .filter(candidate -> candidate.canWrite(PROBLEM_TYPE, MediaType.APPLICATION_PROBLEM_JSON))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no JSON encoder for problem details"));
            writer = found;
        }
        return found;
    }
}
