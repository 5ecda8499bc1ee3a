package dev.replog.common.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replog.common.log.AppendFailedException;
import dev.replog.common.log.LogStoreFailedException;
import java.io.IOException;
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
        ProblemDetail problem = ProblemHandler.problemOf(new DataBufferLimitException("Exceeded limit on max bytes to buffer : 7340032"), request);
        assertThat(problem.getStatus()).isEqualTo(413);
        assertThat(problem.getDetail()).isEqualTo("request body too large: this endpoint takes at most 7340032 bytes");
        assertThat(problem.getInstance()).isEqualTo(URI.create("/messages"));
    }

    @Test
    void aWriteRefusedForWantOfSpaceIs507AndSaysNothingWasAppended() {
        ProblemDetail problem = ProblemHandler.problemOf(new AppendFailedException("append to /data/log/1.log failed",
                new IOException("No space left on device")), request);
        assertThat(problem.getStatus()).isEqualTo(507);
        assertThat(problem.getTitle()).isEqualTo("Out of disk space");
        assertThat(problem.getDetail()).contains("No space left on device", "nothing was appended")
                .doesNotContain("/data");
        assertThat(problem.getProperties()).containsEntry("appended", false);
    }

    @Test
    void anotherRefusedWriteIs503AndSaysNothingWasAppended() {
        ProblemDetail problem = ProblemHandler.problemOf(new AppendFailedException("append failed",
                new IOException("Input/output error")), request);
        assertThat(problem.getStatus()).isEqualTo(503);
        assertThat(problem.getTitle()).isEqualTo("Log write failed");
        assertThat(problem.getDetail()).contains("Input/output error", "nothing was appended");
        assertThat(problem.getProperties()).containsEntry("appended", false);
    }

    @Test
    void aFailedStoreIs503AndLeavesTheOutcomeOpenUntilTheRestart() {
        ProblemDetail problem = ProblemHandler.problemOf(new LogStoreFailedException("log store /data/log failed",
                new IOException("Input/output error")), request);
        assertThat(problem.getStatus()).isEqualTo(503);
        assertThat(problem.getTitle()).isEqualTo("Log store failed");
        assertThat(problem.getDetail()).contains("Input/output error", "restarted", "same Idempotency-Key")
                .doesNotContain("/data");
        assertThat(problem.getProperties()).isNullOrEmpty();
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
