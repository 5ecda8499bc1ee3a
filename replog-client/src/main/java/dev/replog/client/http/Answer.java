package dev.replog.client.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A node's answer to one request, read whole: status, the headers the client acts on (lower-case
 * names) and the body.
 */
public record Answer(int status, Map<String, String> headers, byte[] body) {

    public Answer {
        headers = Map.copyOf(headers);
    }

    /** The first value of a header, by lower-case name; null when absent. */
    public String header(String lowerCaseName) {
        return headers.get(lowerCaseName);
    }

    /** 2xx. */
    public boolean ok() {
        return status >= 200 && status < 300;
    }

    /** The body as UTF-8 text, for messages. */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        String text = text();
        return status + " " + (text.length() > 300 ? text.substring(0, 300) + "..." : text);
    }
}
