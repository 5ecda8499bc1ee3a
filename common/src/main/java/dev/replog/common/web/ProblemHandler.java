package dev.replog.common.web;

import java.net.URI;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The one place where errors become RFC 9457 {@code application/problem+json} answers: replog's
 * typed {@link ReplogException}s, Spring's own web errors (404, 405, 415, bad input) through
 * {@link ResponseEntityExceptionHandler}, over-long bodies (413) and anything unexpected (500).
 *
 * <p>Services import it with {@code @Import(ProblemHandler.class)}.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(ReplogException.class)
    public Mono<ResponseEntity<ProblemDetail>> handleReplog(ReplogException ex, ServerWebExchange exchange) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(ex.status(), ex.getMessage());
        problem.setTitle(ex.title());
        problem.setType(typeOf(ex.title()));
        ex.properties().forEach(problem::setProperty);
        return respond(problem, exchange);
    }

    @ExceptionHandler(DataBufferLimitException.class)
    public Mono<ResponseEntity<ProblemDetail>> handleTooLarge(DataBufferLimitException ex, ServerWebExchange exchange) {
        return handleReplog(new PayloadTooLargeException("request body too large: " + ex.getMessage()), exchange);
    }

    @ExceptionHandler(Exception.class)
    public Mono<ResponseEntity<ProblemDetail>> handleUnexpected(Exception ex, ServerWebExchange exchange) {
        log.error("Unexpected error on {} {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), ex);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "unexpected error: " + ex.getClass().getSimpleName());
        problem.setTitle("Internal error");
        return respond(problem, exchange);
    }

    private static Mono<ResponseEntity<ProblemDetail>> respond(ProblemDetail problem, ServerWebExchange exchange) {
        problem.setInstance(URI.create(exchange.getRequest().getPath().value()));
        return Mono.just(ResponseEntity.status(problem.getStatus())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem));
    }

    private static URI typeOf(String title) {
        return URI.create("https://replog.dev/problems/" + title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-"));
    }
}
