package dev.replog.client.producer;

import dev.replog.client.write.AppendResult;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Messages gathered for one {@code POST /messages/batch}, each with the future its sender holds.
 * The batch's {@code Idempotency-Key} is made with it and kept across every retry, so a retried
 * batch is appended once.
 */
final class Batch {

    private final String key = UUID.randomUUID().toString();
    private final long createdNanos;
    private final List<String> messages = new ArrayList<>();
    private final List<CompletableFuture<AppendResult>> futures = new ArrayList<>();
    private final CompletableFuture<Void> answered = new CompletableFuture<>();
    private long bytes;

    Batch(long createdNanos) {
        this.createdNanos = createdNanos;
    }

    void add(String message, long messageBytes, CompletableFuture<AppendResult> future) {
        messages.add(message);
        futures.add(future);
        bytes += messageBytes;
    }

    String key() {
        return key;
    }

    long createdNanos() {
        return createdNanos;
    }

    List<String> messages() {
        return messages;
    }

    List<CompletableFuture<AppendResult>> futures() {
        return futures;
    }

    /** Completes once every message of this batch has its answer, whatever it is. */
    CompletableFuture<Void> answered() {
        return answered;
    }

    int size() {
        return messages.size();
    }

    long bytes() {
        return bytes;
    }
}
