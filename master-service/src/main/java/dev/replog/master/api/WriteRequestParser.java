package dev.replog.master.api;

import dev.replog.common.protocol.AppendRequest;
import dev.replog.common.protocol.WriteConcern;
import dev.replog.common.text.Utf8;
import dev.replog.common.web.BadRequestException;
import dev.replog.common.web.PayloadTooLargeException;
import dev.replog.master.config.MasterProperties;
import dev.replog.master.write.BatchCommand;
import dev.replog.master.write.WriteCommand;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns the raw parts of {@code POST /messages} (JSON body, query parameters, headers) into a
 * {@link WriteCommand}, or a 400/413 that says exactly what is wrong. Parsed by hand from a JSON
 * tree so that wrong types ({@code "w": true}, {@code "message": 5}) are named, not coerced.
 *
 * <p>Input is strict: a key given twice, an unknown field, a {@code w} or {@code timeoutMs} in any
 * spelling but the documented one ({@code " 2"}, {@code "majority "}, {@code "2"} as a string in
 * the body, {@code ?timeoutMs=+5}) is refused, never corrected. An empty message {@code ""} is a
 * message like any other.
 */
@Component
class WriteRequestParser {

    /** The longest timeout a client may ask for. */
    static final long MAX_TIMEOUT_MS = 3_600_000;
    static final int MAX_IDEMPOTENCY_KEY_CHARS = AppendRequest.MAX_KEY_CHARS;
    private static final Set<String> FIELDS = Set.of("message", "w", "timeoutMs");
    private static final Set<String> BATCH_FIELDS = Set.of("messages", "w", "timeoutMs");
    private static final String SINGLE_SHAPE = "{\"message\": \"text\", \"w\": 2}";
    private static final String BATCH_SHAPE = "{\"messages\": [\"a\", \"b\"], \"w\": 2}";
    /** A count of milliseconds as digits only: no sign, no padding, no leading zero; at most 18 (a long). */
    private static final Pattern CANONICAL_MILLIS = Pattern.compile("0|[1-9][0-9]{0,17}");

    private final ObjectReader json;
    private final long maxMessageBytes;
    private final int maxBatchMessages;
    private final long maxBatchBytes;

    WriteRequestParser(JsonMapper json, MasterProperties properties) {
        // a key given twice has no one meaning ({"w":1,"w":3}): refused here whatever the mapper's settings
        this.json = json.reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
        this.maxMessageBytes = properties.maxMessageBytes().toBytes();
        // a batch takes its ids at once, so it must fit one fresh id range (see MasterProperties.Batch)
        this.maxBatchMessages = Math.min(properties.batch().maxMessages(), properties.ids().rangeSize());
        this.maxBatchBytes = properties.batch().maxBytes().toBytes();
    }

    WriteCommand parse(String body, String queryW, String queryTimeoutMs, String idempotencyKey) {
        return parse(bytes(body), queryW, queryTimeoutMs, idempotencyKey);
    }

    /**
     * Parses the body as it came: bytes, so that invalid UTF-8 is refused by the JSON parser rather
     * than turned into U+FFFD by a lenient decoding and stored altered.
     */
    WriteCommand parse(byte[] body, String queryW, String queryTimeoutMs, String idempotencyKey) {
        JsonNode root = readObject(body, FIELDS, SINGLE_SHAPE);
        String message = message(root);
        WriteConcern w = writeConcern(root.get("w"), queryW);
        Duration timeout = timeout(root.get("timeoutMs"), queryTimeoutMs);
        return new WriteCommand(message, w, timeout, idempotencyKey(idempotencyKey));
    }

    /** The parts of {@code POST /messages/batch}: the same rules, with a non-empty array of strings. */
    BatchCommand parseBatch(String body, String queryW, String queryTimeoutMs, String idempotencyKey) {
        return parseBatch(bytes(body), queryW, queryTimeoutMs, idempotencyKey);
    }

    /** As {@link #parseBatch(String, String, String, String)}, from the body's bytes as they came. */
    BatchCommand parseBatch(byte[] body, String queryW, String queryTimeoutMs, String idempotencyKey) {
        JsonNode root = readObject(body, BATCH_FIELDS, BATCH_SHAPE);
        List<String> messages = messages(root);
        WriteConcern w = writeConcern(root.get("w"), queryW);
        Duration timeout = timeout(root.get("timeoutMs"), queryTimeoutMs);
        return new BatchCommand(messages, w, timeout, idempotencyKey(idempotencyKey));
    }

    private static byte[] bytes(String body) {
        return body == null ? null : body.getBytes(StandardCharsets.UTF_8);
    }

    private JsonNode readObject(byte[] body, Set<String> fields, String shape) {
        if (body == null || new String(body, StandardCharsets.ISO_8859_1).isBlank()) {
            throw new BadRequestException("the body must be a JSON object like " + shape);
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JacksonException e) {
            throw new BadRequestException("malformed JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new BadRequestException("the body must be a JSON object like " + shape);
        }
        for (String field : root.propertyNames()) {
            if (!fields.contains(field)) {
                throw new BadRequestException("unknown field \"" + field + "\"; expected "
                        + (fields == FIELDS ? "message" : "messages") + ", w, timeoutMs");
            }
        }
        return root;
    }

    private List<String> messages(JsonNode root) {
        JsonNode node = root.get("messages");
        if (node == null) {
            throw new BadRequestException("\"messages\" is required");
        }
        if (!node.isArray()) {
            throw new BadRequestException("\"messages\" must be an array of strings, was " + kindOf(node));
        }
        if (node.isEmpty()) {
            throw new BadRequestException("\"messages\" must hold at least one message");
        }
        if (node.size() > maxBatchMessages) {
            throw new PayloadTooLargeException("a batch holds at most " + maxBatchMessages
                    + " messages (replog.batch.max-messages, at most replog.ids.range-size), this one " + node.size());
        }
        List<String> messages = new ArrayList<>(node.size());
        long bytes = 0;
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            if (!item.isString()) {
                throw new BadRequestException("messages[" + i + "] must be a string, was " + kindOf(item));
            }
            String message = item.asString();
            refuseUnpairedSurrogate(message, "messages[" + i + "]");
            long size = Utf8.byteLength(message);
            if (size > maxMessageBytes) {
                throw new PayloadTooLargeException("messages[" + i + "] is larger than " + maxMessageBytes
                        + " bytes (replog.max-message-bytes)");
            }
            bytes += size;
            if (bytes > maxBatchBytes) {
                throw new PayloadTooLargeException("the messages of a batch take at most " + maxBatchBytes
                        + " bytes together (replog.batch.max-bytes)");
            }
            messages.add(message);
        }
        return messages;
    }

    /** What a JSON value is, in the words of an error message: "a number", "null", ... */
    private static String kindOf(JsonNode node) {
        if (node.isNull()) {
            return "null";
        }
        if (node.isNumber()) {
            return "a number";
        }
        if (node.isBoolean()) {
            return node.asString();
        }
        if (node.isArray()) {
            return "an array";
        }
        return node.isObject() ? "an object" : "a string";
    }

    private String message(JsonNode root) {
        JsonNode node = root.get("message");
        if (node == null) {
            throw new BadRequestException("\"message\" is required");
        }
        if (!node.isString()) {
            throw new BadRequestException("\"message\" must be a string, was " + kindOf(node));
        }
        String message = node.asString();
        refuseUnpairedSurrogate(message, "message");
        if (Utf8.longerThan(message, maxMessageBytes)) {
            throw new PayloadTooLargeException("message is larger than " + maxMessageBytes
                    + " bytes (replog.max-message-bytes)");
        }
        return message;
    }

    private static void refuseUnpairedSurrogate(String message, String field) {
        int surrogate = Utf8.unpairedSurrogate(message);
        if (surrogate >= 0) {
            throw new BadRequestException("\"" + field + "\" holds an unpaired UTF-16 surrogate at index " + surrogate
                    + " (an escape such as \\ud800 without its pair); it has no UTF-8 form");
        }
    }

    private static WriteConcern writeConcern(JsonNode bodyW, String queryW) {
        WriteConcern fromBody = bodyW == null || bodyW.isNull() ? null : writeConcernFromJson(bodyW);
        WriteConcern fromQuery = queryW == null ? null : parseWriteConcern(queryW);
        if (fromBody != null && fromQuery != null && !fromBody.equals(fromQuery)) {
            throw new BadRequestException("w is " + fromBody + " in the body but " + fromQuery + " in the query");
        }
        if (fromBody != null) {
            return fromBody;
        }
        return fromQuery != null ? fromQuery : WriteConcern.ONE;
    }

    private static WriteConcern writeConcernFromJson(JsonNode node) {
        if (node.isIntegralNumber()) {
            if (!node.canConvertToInt()) {
                throw new BadRequestException("w is out of range: " + node);
            }
            return parseWriteConcern(Integer.toString(node.intValue()));
        }
        if (node.isString()) {
            WriteConcern w = parseWriteConcern(node.asString());
            if (w.kind() == WriteConcern.Kind.COUNT) {
                throw new BadRequestException("w in the body is a JSON integer or \"majority\" or \"all\", was the string "
                        + node + "; send " + w + " without quotes");
            }
            return w;
        }
        throw new BadRequestException("w must be an integer 1..n, \"majority\" or \"all\", was " + node);
    }

    private static WriteConcern parseWriteConcern(String text) {
        try {
            return WriteConcern.parse(text);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
    }

    private static Duration timeout(JsonNode bodyTimeout, String queryTimeout) {
        Long fromBody = null;
        if (bodyTimeout != null && !bodyTimeout.isNull()) {
            if (!bodyTimeout.isIntegralNumber() || !bodyTimeout.canConvertToLong()) {
                throw new BadRequestException("timeoutMs must be an integer number of milliseconds, was " + bodyTimeout);
            }
            fromBody = checkTimeout(bodyTimeout.longValue());
        }
        Long fromQuery = null;
        if (queryTimeout != null) {
            if (!CANONICAL_MILLIS.matcher(queryTimeout).matches()) {
                throw new BadRequestException("timeoutMs must be an integer number of milliseconds (digits only), was \""
                        + queryTimeout + "\"");
            }
            fromQuery = checkTimeout(Long.parseLong(queryTimeout));
        }
        if (fromBody != null && fromQuery != null && !fromBody.equals(fromQuery)) {
            throw new BadRequestException("timeoutMs is " + fromBody + " in the body but " + fromQuery + " in the query");
        }
        Long millis = fromBody != null ? fromBody : fromQuery;
        return millis == null ? null : Duration.ofMillis(millis);
    }

    private static long checkTimeout(long millis) {
        if (millis < 1 || millis > MAX_TIMEOUT_MS) {
            throw new BadRequestException("timeoutMs must be 1.." + MAX_TIMEOUT_MS + ", was " + millis);
        }
        return millis;
    }

    private static String idempotencyKey(String key) {
        if (key == null) {
            return null;
        }
        if (key.isEmpty() || key.length() > MAX_IDEMPOTENCY_KEY_CHARS) {
            throw new BadRequestException("Idempotency-Key must be 1.." + MAX_IDEMPOTENCY_KEY_CHARS + " characters");
        }
        return key;
    }
}
