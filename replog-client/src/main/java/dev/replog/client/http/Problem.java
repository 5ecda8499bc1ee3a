package dev.replog.client.http;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * An RFC 9457 problem+json answer as the client reads it: the status, the {@code title} that names
 * the failure (the client maps failures by title, never by the detail text) and the members that
 * carry what a caller needs ({@code seq}, {@code acks}, {@code mode}, ...).
 */
public record Problem(int status, String title, String detail, JsonNode body) {

    /** The problem in {@code answer}; a body that is not JSON gives the status's own name as title. */
    public static Problem of(Answer answer) {
        JsonNode body = Json.tree(answer.body());
        String title = body.path("title").asString("");
        String detail = body.path("detail").asString("");
        if (title.isEmpty()) {
            title = "HTTP " + answer.status();
            detail = detail.isEmpty() ? answer.text() : detail;
        }
        return new Problem(answer.status(), title, detail, body);
    }

    /** A numeric member, or {@code fallback} when absent or not a number. */
    public long number(String member, long fallback) {
        JsonNode value = body.path(member);
        return value.isNumber() ? value.asLong() : fallback;
    }

    /** A text member, or null when absent. */
    public String text(String member) {
        JsonNode value = body.path(member);
        return value.isString() ? value.asString() : null;
    }

    /** True when the body carries {@code member}. */
    public boolean has(String member) {
        return !(body.path(member) instanceof MissingNode) && !body.path(member).isNull();
    }
}
