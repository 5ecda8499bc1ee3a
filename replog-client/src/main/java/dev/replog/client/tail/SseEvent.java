package dev.replog.client.tail;

/** One Server-Sent Event: its {@code id} (null when none), {@code event} type (null: "message") and data. */
record SseEvent(String id, String event, String data) {
}
