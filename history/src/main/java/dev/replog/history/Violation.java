package dev.replog.history;

import java.util.List;

/**
 * One way the final logs contradict the history or the log's own invariants, with the smallest
 * excerpt that shows it: the history events of the writes involved and the log entries around the
 * place in question.
 *
 * @param kind    what is wrong
 * @param node    the node whose log shows it ("" when it is about the history alone)
 * @param summary one sentence
 * @param ops     the history events that show it, in order
 * @param entries the log entries that show it, each line prefixed with its node
 */
public record Violation(Kind kind, String node, String summary, List<Op> ops, List<String> entries) {

    /** The kinds of violation the {@link Checker} finds. */
    public enum Kind {
        /** An acknowledged write is missing from a node. */
        LOST,
        /** A message appears more than once on a node. */
        DUPLICATED,
        /**
         * Order broken: ids not strictly increasing with seq on a node, or an acknowledged write
         * ordered before one that was acknowledged before it was even sent.
         */
        REORDERED,
        /** Two nodes hold different sequences. */
        DIVERGED,
        /** A node's seqs do not run 1, 2, 3 ... without a gap. */
        GAP,
        /** A write is stored at another seq or id than the master answered. */
        MISPLACED,
        /** A write that failed with a definite error is in a log. */
        FAILED_PRESENT,
        /** An entry that no client wrote. */
        PHANTOM
    }

    public Violation {
        ops = List.copyOf(ops);
        entries = List.copyOf(entries);
    }

    /** The violation and its excerpt, several lines. */
    public String describe() {
        StringBuilder out = new StringBuilder().append(kind).append(": ").append(summary).append('\n');
        ops.forEach(op -> out.append("    history ").append(op).append('\n'));
        entries.forEach(entry -> out.append("    log ").append(entry).append('\n'));
        return out.toString();
    }
}
