package dev.replog.common.web;

import dev.replog.common.log.LogWriteException;
import java.net.URI;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;

/**
 * The one place where errors become RFC 9457 {@code application/problem+json} answers: replog's
 * typed {@link ReplogException}s, Spring's own web errors (404, 405, 415, bad input) through
 * {@link ResponseEntityExceptionHandler}, over-long bodies (413), writes the disk refused (507 or
 * 503, {@link StorageException}) and anything unexpected (500).
 *
 * <p>Services import it with {@code @Import(ProblemHandler.class)}.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);
    private static final Pattern TRAILING_NUMBER = Pattern.compile("(\\d+)\\s*$");

    @ExceptionHandler(ReplogException.class)
    public Mono<ResponseEntity<ProblemDetail>> handleReplog(ReplogException ex, ServerWebExchange exchange) {
        HttpHeaders headers = new HttpHeaders();
        ex.addHeaders(headers, exchange.getRequest());
        return Mono.just(ResponseEntity.status(ex.status())
                .headers(headers)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problemOf(ex, exchange)));
    }

    /**
     * The problem a {@link ReplogException} becomes: also used by web filters, which run outside
     * this handler's reach, so that their answers read exactly like its own.
     */
    public static ProblemDetail problemOf(ReplogException ex, ServerWebExchange exchange) {
        return problemOf(ex, exchange.getRequest());
    }

    /**
     * The problem any error of a request becomes, for code that answers requests without this
     * handler (the master's direct write path): a {@link ReplogException} as its own, an over-long
     * body as 413, anything else as 500 (and logged).
     */
    public static ProblemDetail problemOf(Throwable error, ServerHttpRequest request) {
        ProblemDetail problem;
        if (error instanceof ReplogException replog) {
            problem = ProblemDetail.forStatusAndDetail(replog.status(), replog.getMessage());
            problem.setTitle(replog.title());
            problem.setType(typeOf(replog.title()));
            replog.properties().forEach(problem::setProperty);
        } else if (error instanceof DataBufferLimitException tooLarge) {
            return problemOf(tooLarge(tooLarge), request);
        } else if (error instanceof LogWriteException refused) {
            return problemOf(StorageException.of(refused), request);
        } else {
            log.error("Unexpected error on {} {}", request.getMethod(), request.getPath(), error);
            problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                    "unexpected error: " + error.getClass().getSimpleName());
            problem.setTitle("Internal error");
            problem.setType(typeOf("Internal error"));
        }
        setInstance(problem, request);
        return problem;
    }

    @ExceptionHandler(DataBufferLimitException.class)
    public Mono<ResponseEntity<ProblemDetail>> handleTooLarge(DataBufferLimitException ex, ServerWebExchange exchange) {
        return handleReplog(tooLarge(ex), exchange);
    }

    @ExceptionHandler(Exception.class)
    public Mono<ResponseEntity<ProblemDetail>> handleUnexpected(Exception ex, ServerWebExchange exchange) {
        return respond(problemOf(ex, exchange.getRequest()));
    }

    private static PayloadTooLargeException tooLarge(DataBufferLimitException ex) {
        // Spring says "Exceeded limit on max bytes to buffer : 7340032"; the number is what a user needs
        Matcher limit = TRAILING_NUMBER.matcher(String.valueOf(ex.getMessage()));
        return new PayloadTooLargeException(limit.find()
                ? "request body too large: this endpoint takes at most " + limit.group(1) + " bytes"
                : "request body too large: " + ex.getMessage());
    }

    /**
     * Spring's own errors: keep its status and title, but always say what was wrong — the most
     * specific cause of a bad body (for example "epoch must be >= 1"), or a default for errors
     * Spring leaves without a detail (a missing Content-Type).
     */
    @Override
    protected Mono<ResponseEntity<Object>> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
            HttpStatusCode status, ServerWebExchange exchange) {
        if (body == null && ex instanceof ErrorResponse error) {
            body = error.getBody();
        }
        if (body instanceof ProblemDetail problem) {
            if (ex instanceof ServerWebInputException && ex.getCause() != null) {
                problem.setDetail(problem.getDetail() + ": " + rootMessage(ex.getCause()));
            } else if (problem.getDetail() == null || status.value() == HttpStatus.UNSUPPORTED_MEDIA_TYPE.value()) {
                problem.setDetail(defaultDetail(status, exchange));
            }
            if (problem.getTitle() != null
                    && (problem.getType() == null || URI.create("about:blank").equals(problem.getType()))) {
                problem.setType(typeOf(problem.getTitle())); // as every replog problem has one
            }
        }
        return super.handleExceptionInternal(ex, body, headers, status, exchange);
    }

    private static String defaultDetail(HttpStatusCode status, ServerWebExchange exchange) {
        if (status.value() == HttpStatus.UNSUPPORTED_MEDIA_TYPE.value()) {
            MediaType type = exchange.getRequest().getHeaders().getContentType();
            return (type == null ? "the Content-Type header is missing" : "Content-Type " + type + " is not supported")
                    + "; send application/json";
        }
        return HttpStatus.valueOf(status.value()).getReasonPhrase();
    }

    /** What the innermost cause of {@code error} says, its first line (for "bad body" details). */
    public static String rootMessage(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        // Jackson appends a source location; the first line says what is wrong.
        int newline = message.indexOf('\n');
        return newline > 0 ? message.substring(0, newline) : message;
    }

    private static Mono<ResponseEntity<ProblemDetail>> respond(ProblemDetail problem) {
        return Mono.just(ResponseEntity.status(problem.getStatus())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem));
    }

    /** The request path as the problem's instance; a path that is no valid URI (hostile input) is left out. */
    private static void setInstance(ProblemDetail problem, ServerHttpRequest request) {
        try {
            problem.setInstance(URI.create(request.getPath().value()));
        } catch (IllegalArgumentException notAUri) {
            problem.setInstance(null);
        }
    }

    private static URI typeOf(String title) {
        return URI.create("https://replog.dev/problems/" + title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-"));
    }
}
