package dev.replog.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.JsonNode;

/** The master's answer to an acknowledged write: {@code 201 {"seq", "id", "w", "acks"}}. */
record Written(long seq, long id, int w, int acks) {

    /**
     * Checks that {@code result} is a 201 for a write with the resolved concern {@code w} in a
     * cluster of {@code n} nodes — Location, body members, {@code w ≤ acks ≤ n} — and returns it.
     */
    static Written created(HttpResult result, int w, int n) {
        assertThat(result.status()).as("status of %s", result).isEqualTo(201);
        assertThat(result.contentType()).as("content type of %s", result).isEqualTo("application/json");
        JsonNode body = result.json();
        for (String member : new String[] {"seq", "id", "w", "acks"}) {
            assertThat(body.path(member).isIntegralNumber()).as("integer member %s in %s", member, result).isTrue();
        }
        Written written = new Written(body.get("seq").longValue(), body.get("id").longValue(),
                body.get("w").intValue(), body.get("acks").intValue());
        assertThat(written.seq()).as("seq in %s", result).isPositive();
        assertThat(written.id()).as("id in %s", result).isPositive();
        assertThat(written.w()).as("w echoed as the resolved integer in %s", result).isEqualTo(w);
        assertThat(written.acks()).as("acks in %s", result).isBetween(w, n);
        assertThat(result.header("Location")).as("Location of %s", result)
                .hasValueSatisfying(location -> assertThat(location).endsWith("/messages/" + written.seq()));
        return written;
    }

    /** Checks that {@code replay}, the same write sent again with its Idempotency-Key, got 200 and this entry. */
    void assertReplayedBy(HttpResult replay, String when) {
        assertThat(replay.status()).as("status of the Idempotency-Key replay %s: %s", when, replay).isEqualTo(200);
        JsonNode body = replay.json();
        assertThat(body.path("seq").asLong(-1)).as("seq in the replay %s: %s", when, replay).isEqualTo(seq);
        assertThat(body.path("id").asLong(-1)).as("id in the replay %s: %s", when, replay).isEqualTo(id);
    }
}
