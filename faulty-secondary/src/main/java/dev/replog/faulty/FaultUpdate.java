package dev.replog.faulty;

import dev.replog.common.web.BadRequestException;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A {@code PUT /faults} body: the fields present replace the current values, the others keep theirs.
 * Read from the JSON tree rather than bound to a class so that unknown fields and wrong types
 * ({@code "0.5"} for a number, {@code 1.5} for milliseconds) are refused, not coerced or ignored.
 */
record FaultUpdate(Double errorBeforeAppend, Double errorAfterAppend, Long delayMs, Long delayJitterMs, Boolean down) {

    static final List<String> FIELDS = List.of("errorBeforeAppend", "errorAfterAppend", "delayMs", "delayJitterMs", "down");

    /** @throws BadRequestException when the body is not an object of known fields of the right types */
    static FaultUpdate parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new BadRequestException("the body must be a JSON object with any of the fields " + FIELDS);
        }
        for (String name : body.propertyNames()) {
            if (!FIELDS.contains(name)) {
                throw new BadRequestException("unknown field \"" + name + "\"; the fields are " + FIELDS);
            }
        }
        return new FaultUpdate(probability(body, "errorBeforeAppend"), probability(body, "errorAfterAppend"),
                millis(body, "delayMs"), millis(body, "delayJitterMs"), flag(body, "down"));
    }

    /** The settings with this update's fields replaced; validated by {@link FaultSettings}. */
    FaultSettings applyTo(FaultSettings current) {
        return new FaultSettings(
                errorBeforeAppend != null ? errorBeforeAppend : current.errorBeforeAppend(),
                errorAfterAppend != null ? errorAfterAppend : current.errorAfterAppend(),
                delayMs != null ? delayMs : current.delayMs(),
                delayJitterMs != null ? delayJitterMs : current.delayJitterMs(),
                down != null ? down : current.down());
    }

    private static Double probability(JsonNode body, String name) {
        JsonNode value = body.get(name);
        if (value == null) {
            return null;
        }
        if (!value.isNumber()) {
            throw new BadRequestException(name + " must be a number in [0, 1], was " + value);
        }
        return value.doubleValue();
    }

    private static Long millis(JsonNode body, String name) {
        JsonNode value = body.get(name);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new BadRequestException(name + " must be a whole number of milliseconds, was " + value);
        }
        return value.longValue();
    }

    private static Boolean flag(JsonNode body, String name) {
        JsonNode value = body.get(name);
        if (value == null) {
            return null;
        }
        if (!value.isBoolean()) {
            throw new BadRequestException(name + " must be true or false, was " + value);
        }
        return value.booleanValue();
    }
}
