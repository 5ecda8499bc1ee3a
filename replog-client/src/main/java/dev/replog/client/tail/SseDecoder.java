package dev.replog.client.tail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the bytes of a {@code text/event-stream} into events, chunk by chunk as they arrive (a
 * chunk may end anywhere, in the middle of a line or of a UTF-8 character). Lines are split on the
 * bytes, then decoded, so a character cut between two chunks is decoded whole. Lines starting with
 * {@code :} are comments (keep-alives) and are ignored; an event ends at an empty line. One decoder
 * per connection; not thread-safe.
 */
final class SseDecoder {

    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private boolean lastWasCarriageReturn;
    private String id;
    private String event;
    private StringBuilder data;

    /** The events completed by {@code chunk}. */
    List<SseEvent> feed(byte[] chunk) {
        List<SseEvent> events = new ArrayList<>();
        for (byte b : chunk) {
            if (b == '\n' && lastWasCarriageReturn) {
                lastWasCarriageReturn = false; // the \n of a \r\n already ended the line
                continue;
            }
            lastWasCarriageReturn = b == '\r';
            if (b == '\n' || b == '\r') {
                SseEvent completed = endLine(line.toString(StandardCharsets.UTF_8));
                line.reset();
                if (completed != null) {
                    events.add(completed);
                }
            } else {
                line.write(b);
            }
        }
        return events;
    }

    private SseEvent endLine(String text) {
        if (text.isEmpty()) {
            SseEvent completed = data == null ? null : new SseEvent(id, event, data.toString());
            event = null;
            data = null;
            return completed;
        }
        if (text.startsWith(":")) {
            return null;
        }
        int colon = text.indexOf(':');
        String field = colon < 0 ? text : text.substring(0, colon);
        String value = colon < 0 ? "" : text.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "id" -> id = value;
            case "event" -> event = value;
            case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            default -> {
                // retry and unknown fields: nothing the tail acts on
            }
        }
        return null;
    }
}
