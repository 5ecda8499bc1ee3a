package dev.replog.history;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the {@link Checker} found: figures for the history and the logs, and every violation.
 *
 * @param operations  writes invoked
 * @param ok          writes acknowledged
 * @param fail        writes that failed with a definite error
 * @param info        writes whose outcome the client does not know (never completed included)
 * @param infoPresent of the info writes, those the logs hold
 * @param okByW       acknowledged writes by the write concern sent
 * @param logSizes    entries in each node's final log
 * @param violations  everything wrong, in the order found
 */
public record CheckReport(int operations, int ok, int fail, int info, int infoPresent, Map<String, Long> okByW,
        Map<String, Integer> logSizes, List<Violation> violations) {

    /** At most this many violations of each kind are spelled out by {@link #format()}. */
    static final int SHOWN_PER_KIND = 5;

    public CheckReport {
        okByW = Map.copyOf(okByW);
        logSizes = Map.copyOf(logSizes);
        violations = List.copyOf(violations);
    }

    /** True when the logs agree with the history and with every invariant. */
    public boolean valid() {
        return violations.isEmpty();
    }

    /** Violations of one kind. */
    public List<Violation> violations(Violation.Kind kind) {
        return violations.stream().filter(v -> v.kind() == kind).toList();
    }

    /** How many violations of each kind (every kind listed, 0 included). */
    public Map<Violation.Kind, Long> counts() {
        Map<Violation.Kind, Long> counts = new EnumMap<>(Violation.Kind.class);
        for (Violation.Kind kind : Violation.Kind.values()) {
            counts.put(kind, 0L);
        }
        violations.forEach(v -> counts.merge(v.kind(), 1L, Long::sum));
        return counts;
    }

    /** Acknowledged writes missing from at least one node. */
    public long lost() {
        return count(Violation.Kind.LOST);
    }

    /** Messages stored more than once on a node (one per node and message). */
    public long duplicated() {
        return count(Violation.Kind.DUPLICATED);
    }

    /** Order violations: ids against seqs, or acknowledged writes against real time. */
    public long reordered() {
        return count(Violation.Kind.REORDERED);
    }

    public long count(Violation.Kind kind) {
        return violations.stream().filter(v -> v.kind() == kind).count();
    }

    /** The figures on a few lines, then up to {@value #SHOWN_PER_KIND} violations of each kind with their excerpts. */
    public String format() {
        StringBuilder out = new StringBuilder();
        out.append("operations ").append(operations).append(": ok ").append(ok).append(' ').append(sorted(okByW))
                .append(", fail ").append(fail).append(", info ").append(info)
                .append(" (").append(infoPresent).append(" in the log, ").append(info - infoPresent).append(" not)\n");
        out.append("final logs: ").append(sorted(logSizes)).append('\n');
        out.append(counts().entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey().name().toLowerCase().replace('_', '-'))
                .collect(Collectors.joining(", "))).append('\n');
        out.append(valid() ? "VALID" : "INVALID: " + violations.size() + " violations").append('\n');
        for (Violation.Kind kind : Violation.Kind.values()) {
            List<Violation> ofKind = violations(kind);
            ofKind.stream().limit(SHOWN_PER_KIND).forEach(v -> out.append("  ").append(v.describe()));
            if (ofKind.size() > SHOWN_PER_KIND) {
                out.append("  ... and ").append(ofKind.size() - SHOWN_PER_KIND).append(" more ").append(kind).append('\n');
            }
        }
        return out.toString();
    }

    private static <V> String sorted(Map<String, V> map) {
        return map.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
