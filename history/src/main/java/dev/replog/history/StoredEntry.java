package dev.replog.history;

import java.util.Objects;

/** An entry as a node shows it in {@code GET /messages}: its final log is a list of these. */
public record StoredEntry(long seq, long id, String message) {

    public StoredEntry {
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return "seq " + seq + " id " + id + " \"" + message + "\"";
    }
}
