package dev.replog.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Holds every node's final log against the history of the writes that produced it, after the
 * cluster healed and converged. It checks:
 * <ul>
 *   <li>each log on its own: seqs run 1, 2, 3 ... without a gap ({@link Violation.Kind#GAP}); ids
 *       strictly increase with seq ({@link Violation.Kind#REORDERED}); no message appears twice
 *       ({@link Violation.Kind#DUPLICATED});</li>
 *   <li>the logs together: every node holds the first node's sequence exactly
 *       ({@link Violation.Kind#DIVERGED});</li>
 *   <li>the history: every acknowledged write is on every node ({@link Violation.Kind#LOST}) at the
 *       seq and id it was acknowledged with ({@link Violation.Kind#MISPLACED}; an info write whose
 *       504 named a seq may only be there); a write that failed with a definite error is on no
 *       node ({@link Violation.Kind#FAILED_PRESENT}); every entry was written by some client
 *       ({@link Violation.Kind#PHANTOM}); and a write acknowledged before another was sent has the
 *       lower seq ({@link Violation.Kind#REORDERED}).</li>
 * </ul>
 * Info writes may be anywhere or nowhere, but at most once (the duplicate check covers that).
 * Each violation carries the smallest excerpt that shows it; see {@link CheckReport#format()}.
 */
public final class Checker {

    /** Log lines shown on either side of the place in question. */
    private static final int CONTEXT = 1;

    private Checker() {
    }

    /**
     * @param history every event of the run, in order (each message invoked once)
     * @param logs    each node's final log in seq order, the reference node (the master) first
     * @throws IllegalArgumentException when the history itself is malformed (a message invoked twice,
     *                                  a completion without invocation, or two for one)
     */
    public static CheckReport check(List<Op> history, Map<String, List<StoredEntry>> logs) {
        if (logs.isEmpty()) {
            throw new IllegalArgumentException("no logs to check");
        }
        Map<String, Write> writes = pair(history);
        List<Violation> violations = new ArrayList<>();
        Map<String, Map<String, List<StoredEntry>>> byMessage = new LinkedHashMap<>();
        logs.forEach((node, log) -> {
            checkSeqs(node, log, violations);
            checkIds(node, log, writes, violations);
            byMessage.put(node, index(log));
            checkDuplicates(node, byMessage.get(node), writes, violations);
        });
        checkSameSequence(logs, writes, violations);
        checkWrites(writes, logs, byMessage, violations);
        checkPhantoms(logs, writes, violations);
        checkRealTimeOrder(history, writes, violations);

        String reference = logs.keySet().iterator().next();
        int ok = 0;
        int fail = 0;
        int info = 0;
        int infoPresent = 0;
        Map<String, Long> okByW = new TreeMap<>();
        for (Write write : writes.values()) {
            switch (write.outcome()) {
                case OK -> {
                    ok++;
                    okByW.merge(write.invoke().w(), 1L, Long::sum);
                }
                case FAIL -> fail++;
                default -> {
                    info++;
                    if (byMessage.get(reference).containsKey(write.invoke().message())) {
                        infoPresent++;
                    }
                }
            }
        }
        Map<String, Integer> sizes = new LinkedHashMap<>();
        logs.forEach((node, log) -> sizes.put(node, log.size()));
        return new CheckReport(writes.size(), ok, fail, info, infoPresent, okByW, sizes, violations);
    }

    /** One write: its invocation and its completion (null: never completed, which counts as info). */
    private record Write(Op invoke, Op completion) {

        Op.Type outcome() {
            return completion == null ? Op.Type.INFO : completion.type();
        }

        List<Op> ops() {
            return completion == null ? List.of(invoke) : List.of(invoke, completion);
        }
    }

    private static Map<String, Write> pair(List<Op> history) {
        Map<String, Write> writes = new LinkedHashMap<>();
        for (Op op : history) {
            Write known = writes.get(op.message());
            if (op.type() == Op.Type.INVOKE) {
                if (known != null) {
                    throw new IllegalArgumentException("message invoked twice; messages must be unique: " + op);
                }
                writes.put(op.message(), new Write(op, null));
            } else if (known == null) {
                throw new IllegalArgumentException("completion without invocation: " + op);
            } else if (known.completion() != null) {
                throw new IllegalArgumentException("second completion " + op + " of " + known.completion());
            } else {
                writes.put(op.message(), new Write(known.invoke(), op));
            }
        }
        return writes;
    }

    private static Map<String, List<StoredEntry>> index(List<StoredEntry> log) {
        Map<String, List<StoredEntry>> byMessage = new HashMap<>(log.size() * 2);
        for (StoredEntry entry : log) {
            byMessage.computeIfAbsent(entry.message(), m -> new ArrayList<>(1)).add(entry);
        }
        return byMessage;
    }

    private static void checkSeqs(String node, List<StoredEntry> log, List<Violation> violations) {
        for (int i = 0; i < log.size(); i++) {
            if (log.get(i).seq() != i + 1) {
                violations.add(new Violation(Violation.Kind.GAP, node,
                        node + " holds seq " + log.get(i).seq() + " at position " + (i + 1) + (i == 0
                                ? ": its log does not start at seq 1"
                                : " after seq " + log.get(i - 1).seq()),
                        List.of(), around(node, log, i)));
                return; // every later seq is off too; one violation says it
            }
        }
    }

    private static void checkIds(String node, List<StoredEntry> log, Map<String, Write> writes,
            List<Violation> violations) {
        for (int i = 1; i < log.size(); i++) {
            StoredEntry before = log.get(i - 1);
            StoredEntry entry = log.get(i);
            if (entry.id() <= before.id()) {
                violations.add(new Violation(Violation.Kind.REORDERED, node,
                        node + ": id " + entry.id() + " at seq " + entry.seq() + " does not exceed id " + before.id()
                                + " at seq " + before.seq(),
                        opsOf(writes, before.message(), entry.message()), around(node, log, i)));
            }
        }
    }

    private static void checkDuplicates(String node, Map<String, List<StoredEntry>> byMessage,
            Map<String, Write> writes, List<Violation> violations) {
        byMessage.forEach((message, entries) -> {
            if (entries.size() > 1) {
                violations.add(new Violation(Violation.Kind.DUPLICATED, node,
                        node + " holds \"" + message + "\" " + entries.size() + " times",
                        opsOf(writes, message), entries.stream().map(e -> node + " " + e).toList()));
            }
        });
    }

    private static void checkSameSequence(Map<String, List<StoredEntry>> logs, Map<String, Write> writes,
            List<Violation> violations) {
        Map.Entry<String, List<StoredEntry>> first = logs.entrySet().iterator().next();
        String refNode = first.getKey();
        List<StoredEntry> ref = first.getValue();
        logs.forEach((node, log) -> {
            if (node.equals(refNode)) {
                return;
            }
            int common = Math.min(ref.size(), log.size());
            int at = 0;
            while (at < common && ref.get(at).equals(log.get(at))) {
                at++;
            }
            if (at == common && ref.size() == log.size()) {
                return;
            }
            List<String> entries = new ArrayList<>();
            entries.addAll(around(refNode, ref, at));
            entries.addAll(around(node, log, at));
            List<String> messages = new ArrayList<>();
            if (at < ref.size()) {
                messages.add(ref.get(at).message());
            }
            if (at < log.size()) {
                messages.add(log.get(at).message());
            }
            String where = at == common
                    ? node + " holds " + log.size() + " entries and " + refNode + " " + ref.size()
                    : node + " and " + refNode + " differ at position " + (at + 1);
            violations.add(new Violation(Violation.Kind.DIVERGED, node, where, opsOf(writes,
                    messages.toArray(String[]::new)), entries));
        });
    }

    private static void checkWrites(Map<String, Write> writes, Map<String, List<StoredEntry>> logs,
            Map<String, Map<String, List<StoredEntry>>> byMessage, List<Violation> violations) {
        for (Write write : writes.values()) {
            String message = write.invoke().message();
            Op done = write.completion();
            List<String> missingOn = new ArrayList<>();
            List<String> found = new ArrayList<>();
            List<String> misplaced = new ArrayList<>();
            for (String node : logs.keySet()) {
                List<StoredEntry> entries = byMessage.get(node).getOrDefault(message, List.of());
                if (entries.isEmpty()) {
                    missingOn.add(node);
                    continue;
                }
                for (StoredEntry entry : entries) {
                    found.add(node + " " + entry);
                    boolean seqOff = done != null && done.seq() > 0 && entry.seq() != done.seq();
                    boolean idOff = done != null && done.id() > 0 && entry.id() != done.id();
                    if (seqOff || idOff) {
                        misplaced.add(node + " " + entry);
                    }
                }
            }
            switch (write.outcome()) {
                case OK -> {
                    if (!missingOn.isEmpty()) {
                        List<String> context = new ArrayList<>(found);
                        missingOn.forEach(node -> context.addAll(around(node, logs.get(node), done.seq() - 1)));
                        violations.add(new Violation(Violation.Kind.LOST, String.join(",", missingOn),
                                "acknowledged write \"" + message + "\" (w=" + done.w() + ", seq " + done.seq()
                                        + ", id " + done.id() + ") is missing on " + String.join(", ", missingOn),
                                write.ops(), context));
                    }
                }
                case FAIL -> {
                    if (!found.isEmpty()) {
                        violations.add(new Violation(Violation.Kind.FAILED_PRESENT, "", "\"" + message
                                + "\" failed with a definite error (" + done.detail() + ") but is in the log",
                                write.ops(), found));
                    }
                }
                default -> {
                }
            }
            if (!misplaced.isEmpty()) {
                violations.add(new Violation(Violation.Kind.MISPLACED, "", "\"" + message + "\" was answered with seq "
                        + done.seq() + (done.id() > 0 ? " id " + done.id() : "") + " but is stored elsewhere",
                        write.ops(), misplaced));
            }
        }
    }

    private static void checkPhantoms(Map<String, List<StoredEntry>> logs, Map<String, Write> writes,
            List<Violation> violations) {
        logs.forEach((node, log) -> {
            for (int i = 0; i < log.size(); i++) {
                if (!writes.containsKey(log.get(i).message())) {
                    violations.add(new Violation(Violation.Kind.PHANTOM, node,
                            node + " holds \"" + log.get(i).message() + "\" that no client wrote", List.of(),
                            around(node, log, i)));
                }
            }
        });
    }

    /**
     * A write acknowledged before another was invoked must have the lower seq: the master orders
     * writes as it appends them, and it appended the first before it answered it. Walks the
     * history once, keeping the acknowledged write with the highest seq so far.
     */
    private static void checkRealTimeOrder(List<Op> history, Map<String, Write> writes, List<Violation> violations) {
        Op highest = null;
        Map<String, Op> highestAtInvoke = new HashMap<>();
        for (Op op : history) {
            if (op.type() == Op.Type.INVOKE) {
                if (highest != null) {
                    highestAtInvoke.put(op.message(), highest);
                }
            } else if (op.type() == Op.Type.OK) {
                Op before = highestAtInvoke.get(op.message());
                if (before != null && before.seq() > op.seq()) {
                    List<Op> excerpt = new ArrayList<>(writes.get(before.message()).ops());
                    excerpt.addAll(writes.get(op.message()).ops());
                    excerpt.sort((a, b) -> Long.compare(a.index(), b.index()));
                    violations.add(new Violation(Violation.Kind.REORDERED, "", "\"" + op.message() + "\" got seq "
                            + op.seq() + " but was sent after \"" + before.message() + "\" was acknowledged with seq "
                            + before.seq(), excerpt, List.of()));
                }
                if (highest == null || op.seq() > highest.seq()) {
                    highest = op;
                }
            }
        }
    }

    private static List<Op> opsOf(Map<String, Write> writes, String... messages) {
        List<Op> ops = new ArrayList<>();
        for (String message : messages) {
            Write write = writes.get(message);
            if (write != null) {
                ops.addAll(write.ops());
            }
        }
        ops.sort((a, b) -> Long.compare(a.index(), b.index()));
        return ops.stream().distinct().toList();
    }

    /** The entries at {@code position} (0-based) and {@value #CONTEXT} on either side, prefixed by the node. */
    private static List<String> around(String node, List<StoredEntry> log, long position) {
        List<String> lines = new ArrayList<>();
        long from = Math.max(0, position - CONTEXT);
        long to = Math.min(log.size() - 1L, position + CONTEXT);
        for (long i = from; i <= to; i++) {
            lines.add(node + " " + log.get((int) i));
        }
        if (lines.isEmpty()) {
            lines.add(node + " (" + log.size() + " entries; nothing at position " + (position + 1) + ")");
        }
        return lines;
    }
}
