package dev.replog.client.http;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

/** The client's one JSON mapper. */
public final class Json {

    /**
     * Tolerant of members it does not know: nodes may add fields to their answers (as
     * {@code activeMaster} is being added to {@code /health}) without breaking older clients.
     */
    public static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Json() {
    }

    /** The bytes of {@code value} as JSON. */
    public static byte[] write(Object value) {
        return MAPPER.writeValueAsBytes(value);
    }

    /** {@code body} read as {@code type}. */
    public static <T> T read(byte[] body, Class<T> type) {
        return MAPPER.readValue(body, type);
    }

    /** The JSON tree of {@code body}; a missing node when it is empty or not JSON. */
    public static JsonNode tree(byte[] body) {
        if (body.length == 0) {
            return MissingNode.getInstance();
        }
        try {
            return MAPPER.readTree(body);
        } catch (JacksonException e) {
            return MissingNode.getInstance();
        }
    }
}
