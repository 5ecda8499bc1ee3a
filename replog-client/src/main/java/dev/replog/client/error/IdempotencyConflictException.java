package dev.replog.client.error;

/**
 * {@code 422}: the {@code Idempotency-Key} was already used for another message (or batch).
 * Definite: nothing was appended.
 */
public class IdempotencyConflictException extends ReplogException {

    public IdempotencyConflictException(String detail) {
        super(422, "Idempotency key reused", detail, false);
    }
}
