package dev.replog.client.error;

/**
 * The node refused the request as malformed: {@code 400} (bad JSON, bad {@code w} or {@code w > n},
 * a bad name or size), {@code 413} (a message or batch over the limits) or {@code 415}. Definite:
 * nothing was changed, and sending it again gets the same answer.
 */
public class BadInputException extends ReplogException {

    /** @param status 400, 413 or 415 */
    public BadInputException(int status, String title, String detail) {
        super(status, title, detail, false);
    }
}
