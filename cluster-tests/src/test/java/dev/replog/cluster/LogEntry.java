package dev.replog.cluster;

import tools.jackson.databind.JsonNode;

/** An entry as {@code GET /messages} shows it on any node. */
record LogEntry(long seq, long id, String message) {

    static LogEntry of(JsonNode node) {
        if (!node.path("seq").isIntegralNumber() || !node.path("id").isIntegralNumber()
                || !node.path("message").isString()) {
            throw new AssertionError("not a log entry {seq, id, message}: " + node);
        }
        return new LogEntry(node.get("seq").longValue(), node.get("id").longValue(), node.get("message").stringValue());
    }
}
