package dev.replog.cluster;

import java.net.http.HttpHeaders;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** One HTTP answer as the tests see it: status, headers and the body as text. */
record HttpResult(int status, HttpHeaders headers, String body) {

    /** The body parsed as JSON. */
    JsonNode json() {
        return ReplogClient.JSON.readTree(body);
    }

    /** The {@code Content-Type} without parameters, or "" when absent. */
    String contentType() {
        return header("Content-Type").map(v -> v.split(";")[0].trim()).orElse("");
    }

    Optional<String> header(String name) {
        return headers.firstValue(name);
    }

    @Override
    public String toString() {
        String shown = body.length() > 600 ? body.substring(0, 600) + "...(" + body.length() + " chars)" : body;
        return status + " " + contentType() + " " + shown;
    }
}
