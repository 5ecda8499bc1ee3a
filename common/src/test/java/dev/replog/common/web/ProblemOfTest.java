package dev.replog.common.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.ProblemDetail;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

/** {@link ProblemHandler#problemOf(Throwable, org.springframework.http.server.reactive.ServerHttpRequest)}: any error of a request as its problem. */
class ProblemOfTest {

    private final MockServerHttpRequest request = MockServerHttpRequest.post("/messages").build();

    @Test
    void aReplogErrorKeepsItsStatusTitleTypeAndMembers() {
        ProblemDetail problem = ProblemHandler.problemOf(new NotFoundException("no entry with seq 7"), request);
        assertThat(problem.getStatus()).isEqualTo(404);
        assertThat(problem.getDetail()).isEqualTo("no entry with seq 7");
        assertThat(problem.getType()).isEqualTo(URI.create("https://replog.dev/problems/" + slug(problem.getTitle())));
        assertThat(problem.getInstance()).isEqualTo(URI.create("/messages"));
    }

    @Test
    void anOverLongBodyIs413() {
        ProblemDetail problem = ProblemHandler.problemOf(new DataBufferLimitException("limit 64"), request);
        assertThat(problem.getStatus()).isEqualTo(413);
        assertThat(problem.getDetail()).isEqualTo("request body too large: limit 64");
        assertThat(problem.getInstance()).isEqualTo(URI.create("/messages"));
    }

    @Test
    void anythingElseIs500NamingOnlyTheErrorsKind() {
        ProblemDetail problem = ProblemHandler.problemOf(new IllegalStateException("internal detail"), request);
        assertThat(problem.getStatus()).isEqualTo(500);
        assertThat(problem.getTitle()).isEqualTo("Internal error");
        assertThat(problem.getDetail()).isEqualTo("unexpected error: IllegalStateException").doesNotContain("internal detail");
    }

    private static String slug(String title) {
        return title.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }
}
