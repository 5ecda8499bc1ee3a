package dev.replog.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Assertions on logs and problem answers shared by the cluster tests. */
final class LogChecks {

    private LogChecks() {
    }

    /** Seqs 1..N without gaps, ids strictly increasing, each message at most once. */
    static void assertWellFormed(String node, List<LogEntry> log) {
        for (int i = 0; i < log.size(); i++) {
            assertThat(log.get(i).seq()).as("seq at position %d of %s's log %s", i, node, log).isEqualTo(i + 1L);
            if (i > 0) {
                assertThat(log.get(i).id()).as("id at seq %d of %s's log (ids strictly increase)", i + 1, node)
                        .isGreaterThan(log.get(i - 1).id());
            }
        }
        assertThat(log.stream().map(LogEntry::message).distinct().count())
                .as("each message once in %s's log", node).isEqualTo(log.size());
    }

    /** True when {@code prefix} is the beginning of {@code log}, entry for entry. */
    static boolean isPrefix(List<LogEntry> prefix, List<LogEntry> log) {
        return prefix.size() <= log.size() && log.subList(0, prefix.size()).equals(prefix);
    }

    /**
     * Fails when {@code prefix} is not the beginning of the master's {@code log}. It throws
     * {@link PrefixViolation}, not an {@link AssertionError}, so that an Awaitility
     * {@code untilAsserted} does not retry it away: one wrong look is a broken guarantee.
     */
    static void assertPrefix(String node, List<LogEntry> prefix, List<LogEntry> log) {
        if (!isPrefix(prefix, log)) {
            throw new PrefixViolation(node + " shows " + prefix + ", which is not a prefix of the master's log " + log);
        }
    }

    /** A node showed something other than a prefix of the master's log. */
    static final class PrefixViolation extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        PrefixViolation(String message) {
            super(message);
        }
    }

    /**
     * Checks an RFC 9457 answer: the status, {@code application/problem+json}, and a body whose
     * {@code status} repeats it, whose {@code title} and {@code detail} say what went wrong and whose
     * {@code type} is one of replog's problem types (Spring's own errors included).
     */
    static JsonNode assertProblem(HttpResult result, int status) {
        assertThat(result.status()).as("status of %s", result).isEqualTo(status);
        assertThat(result.contentType()).as("content type of %s", result).isEqualTo("application/problem+json");
        JsonNode problem = result.json();
        assertThat(problem.path("status").isIntegralNumber() ? problem.get("status").intValue() : -1)
                .as("member status of %s", result).isEqualTo(status);
        assertThat(problem.path("title").asString("")).as("member title of %s", result).isNotBlank();
        assertThat(problem.path("type").asString("")).as("member type of %s", result)
                .startsWith("https://replog.dev/problems/");
        assertThat(problem.path("detail").asString("")).as("member detail of %s", result).isNotBlank();
        return problem;
    }

    /** A replication entry as the internal append endpoint takes it. */
    static Map<String, Object> entry(long seq, long id, String message) {
        return Map.of("seq", seq, "id", id, "message", message);
    }

    /** {@code POST /replication/append} with the given batch. */
    static HttpResult append(ReplogClient node, long epoch, long prevSeq, long prevId, List<Map<String, Object>> entries) {
        return node.postJson("/replication/append",
                Map.of("epoch", epoch, "prevSeq", prevSeq, "prevId", prevId, "entries", entries));
    }
}
