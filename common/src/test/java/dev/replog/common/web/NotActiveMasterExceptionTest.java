package dev.replog.common.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

class NotActiveMasterExceptionTest {

    @Test
    void aRedirectSendsTheSameRequestToTheActiveMaster() {
        MockServerHttpRequest request = MockServerHttpRequest.post("/messages/batch?w=2&timeoutMs=100").build();
        NotActiveMasterException redirect = NotActiveMasterException.redirect("master-2", "http://localhost:8080", 4);
        HttpHeaders headers = new HttpHeaders();
        redirect.addHeaders(headers, request);
        assertThat(headers.getFirst(HttpHeaders.LOCATION)).isEqualTo("http://localhost:8080/messages/batch?w=2&timeoutMs=100");
        ProblemDetail problem = ProblemHandler.problemOf(redirect, request);
        assertThat(problem.getStatus()).isEqualTo(307);
        assertThat(problem.getProperties()).containsEntry("activeMaster", "http://localhost:8080").containsEntry("epoch", 4L);
    }

    @Test
    void withoutAKnownMasterItIs503WithRetryAfter() {
        MockServerHttpRequest request = MockServerHttpRequest.post("/messages").build();
        NotActiveMasterException none = NotActiveMasterException.noMaster("secondary", "none heard");
        HttpHeaders headers = new HttpHeaders();
        none.addHeaders(headers, request);
        assertThat(headers.getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
        assertThat(headers.getFirst(HttpHeaders.LOCATION)).isNull();
        ProblemDetail problem = ProblemHandler.problemOf(none, request);
        assertThat(problem.getStatus()).isEqualTo(503);
        assertThat(problem.getTitle()).isEqualTo("No master");
    }
}
