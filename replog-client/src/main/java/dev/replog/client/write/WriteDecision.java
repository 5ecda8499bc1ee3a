package dev.replog.client.write;

import dev.replog.client.error.BadInputException;
import dev.replog.client.error.IdempotencyConflictException;
import dev.replog.client.error.NoMasterException;
import dev.replog.client.error.ReadOnlyException;
import dev.replog.client.error.ReplogException;
import dev.replog.client.error.SupersededException;
import dev.replog.client.error.UnavailableException;
import dev.replog.client.error.WriteTimeoutException;
import dev.replog.client.http.Answer;
import dev.replog.client.http.Nodes;
import dev.replog.client.http.Problem;
import dev.replog.client.http.Transport;
import java.net.URI;
import java.time.Duration;

/**
 * The retry rules of a write, as one pure function of an attempt's outcome. Every write carries an
 * {@code Idempotency-Key} that stays the same across its attempts, so sending it again after an
 * indefinite outcome (a timeout, a dropped connection, a superseded master) appends it at most once:
 * the master answers a repeated key with the original entry.
 *
 * <ul>
 *   <li>2xx: done. 307/308 with a {@code Location}: the active master is there; follow it.</li>
 *   <li>503 "No master": a takeover is running; wait {@code Retry-After} and ask the next node.</li>
 *   <li>503 "Superseded", "Log store failed": this master will take no more writes; try the next node.</li>
 *   <li>503 read-only, recovering, no permanent ids, a failed log write: the master recovers by
 *       itself; back off and ask it again.</li>
 *   <li>504: the entry is in the log and the wait ended; ask again (the key answers once {@code w} is met).</li>
 *   <li>404/405: not a node that takes writes (a secondary that does not redirect yet); try the next.</li>
 *   <li>400, 413, 415, 422, 507 and other 4xx: final, nothing was appended.</li>
 *   <li>No answer, or another 5xx: try the next node.</li>
 * </ul>
 */
final class WriteDecision {

    /** The longest {@code Retry-After} obeyed: a longer one is a node's mistake, not a plan. */
    static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(30);
    /** Used when a "No master" answer names no {@code Retry-After}. */
    static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

    private WriteDecision() {
    }

    /**
     * @param outcome         what the attempt got
     * @param node            the node it was sent to
     * @param requestPath     the path it was sent to, as {@code /messages/batch} (cut off a redirect target)
     * @param maybeAppended   whether an earlier attempt of this write may have appended it: any failure
     *                        given up with is then indefinite
     */
    static Step decide(Outcome outcome, URI node, String requestPath, boolean maybeAppended) {
        if (outcome.error() != null) {
            Throwable error = outcome.error();
            boolean indefinite = maybeAppended || !Transport.notSent(error);
            return new Step.Retry(true, Duration.ZERO, new UnavailableException(0, "Unreachable",
                    node + " gave no answer: " + error, indefinite, error));
        }
        Answer answer = outcome.answer();
        int status = answer.status();
        if (answer.ok()) {
            return new Step.Done(answer);
        }
        if ((status == 307 || status == 308) && answer.header("location") != null) {
            return new Step.Redirect(Nodes.redirectTarget(node, answer.header("location"), requestPath));
        }
        Problem problem = Problem.of(answer);
        return switch (status) {
            case 400, 413, 415 -> new Step.Fail(new BadInputException(status, problem.title(), problem.detail()));
            case 422 -> new Step.Fail(new IdempotencyConflictException(problem.detail()));
            case 404, 405 -> new Step.Retry(true, Duration.ZERO, new UnavailableException(status, "Not a master",
                    node + " does not take writes: " + problem.detail(), maybeAppended, null));
            case 503 -> unavailable(problem, answer, maybeAppended);
            // the master's disk is full: nothing was appended, and a retry now would meet the same disk
            case 507 -> new Step.Fail(new ReplogException(status, problem.title(), problem.detail(), maybeAppended));
            case 504 -> new Step.Retry(false, null, new WriteTimeoutException(504, problem.detail(),
                    problem.number("seq", -1), (int) problem.number("acks", -1), (int) problem.number("w", -1), null));
            default -> status >= 500
                    ? new Step.Retry(true, null, new UnavailableException(status, problem.title(), problem.detail(),
                            true, null))
                    : new Step.Fail(new ReplogException(status, problem.title(), problem.detail(), maybeAppended));
        };
    }

    private static Step unavailable(Problem problem, Answer answer, boolean maybeAppended) {
        return switch (problem.title()) {
            // the node may only not have heard of the new master yet: after the pause, ask the next one
            case "No master" -> new Step.Retry(true, retryAfter(answer.header("retry-after")),
                    new NoMasterException(problem.detail(), maybeAppended));
            case "Superseded" -> {
                // with a seq, the write was appended on the old master and waited there: indefinite
                boolean waited = problem.has("seq");
                yield new Step.Retry(true, null, new SupersededException(problem.detail(), problem.number("seq", -1),
                        (int) problem.number("acks", -1), maybeAppended || waited));
            }
            case "Read-only", "Recovering" -> new Step.Retry(false, null, new ReadOnlyException(problem.title(),
                    problem.detail(), problem.text("mode"), (int) problem.number("nodesUp", -1),
                    (int) problem.number("quorum", -1), maybeAppended));
            // the write may be in the log; the master answers again only after a restart
            case "Log store failed" -> new Step.Retry(true, null, new UnavailableException(503, problem.title(),
                    problem.detail(), true, null));
            default -> new Step.Retry(false, null, new UnavailableException(503, problem.title(), problem.detail(),
                    maybeAppended, null));
        };
    }

    /** {@code Retry-After} in seconds, within 0..{@link #MAX_RETRY_AFTER}; the default when absent or a date. */
    static Duration retryAfter(String header) {
        if (header == null) {
            return DEFAULT_RETRY_AFTER;
        }
        try {
            long seconds = Long.parseLong(header.trim());
            return seconds < 0 ? DEFAULT_RETRY_AFTER
                    : Duration.ofSeconds(Math.min(seconds, MAX_RETRY_AFTER.toSeconds()));
        } catch (NumberFormatException e) {
            return DEFAULT_RETRY_AFTER;
        }
    }
}
