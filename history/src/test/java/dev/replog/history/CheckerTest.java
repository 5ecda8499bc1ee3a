package dev.replog.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Checker on synthetic histories")
class CheckerTest {

    /** Three nodes, all holding a, b, c at seq 1..3 with ids 10, 20, 30; a and b acknowledged. */
    private final History history = new History();
    private final Op invokeA = history.invoke(0, "a", "1");
    private final Op invokeB = history.invoke(1, "b", "all");
    private final Op okA = history.ok(invokeA, 1, 10);
    private final Op okB = history.ok(invokeB, 2, 20);
    private final Op invokeC = history.invoke(0, "c", "majority");
    private final Op infoC = history.info(invokeC, 0, "connection reset");
    private final List<StoredEntry> log = List.of(entry(1, 10, "a"), entry(2, 20, "b"), entry(3, 30, "c"));

    private static StoredEntry entry(long seq, long id, String message) {
        return new StoredEntry(seq, id, message);
    }

    private static Map<String, List<StoredEntry>> logs(List<StoredEntry> master, List<StoredEntry> secondary,
            List<StoredEntry> faulty) {
        Map<String, List<StoredEntry>> logs = new LinkedHashMap<>();
        logs.put("master", master);
        logs.put("secondary", secondary);
        logs.put("faulty", faulty);
        return logs;
    }

    private CheckReport check(List<StoredEntry> master, List<StoredEntry> secondary, List<StoredEntry> faulty) {
        return Checker.check(history.ops(), logs(master, secondary, faulty));
    }

    @Test
    @DisplayName("identical, gap-free logs holding every acknowledged write once are valid, with the figures counted")
    void consistentRunIsValid() {
        CheckReport report = check(log, log, log);

        assertThat(report.violations()).isEmpty();
        assertThat(report.valid()).isTrue();
        assertThat(report.operations()).isEqualTo(3);
        assertThat(report.ok()).isEqualTo(2);
        assertThat(report.info()).isEqualTo(1);
        assertThat(report.infoPresent()).isEqualTo(1);
        assertThat(report.okByW()).containsEntry("1", 1L).containsEntry("all", 1L);
        assertThat(report.logSizes()).containsEntry("secondary", 3);
        assertThat(report.format()).contains("VALID", "0 lost", "0 duplicated", "0 reordered");
    }

    @Test
    @DisplayName("an info write may be absent everywhere")
    void infoWriteMayBeAbsent() {
        List<StoredEntry> withoutC = log.subList(0, 2);

        CheckReport report = check(withoutC, withoutC, withoutC);

        assertThat(report.valid()).as(report.format()).isTrue();
        assertThat(report.infoPresent()).isZero();
    }

    @Test
    @DisplayName("an acknowledged write missing from one node is lost, with its invoke and ok as the excerpt")
    void lostWrite() {
        List<StoredEntry> withoutB = List.of(entry(1, 10, "a"), entry(2, 30, "c"));

        CheckReport report = check(log, log, withoutB);

        assertThat(report.lost()).isEqualTo(1);
        Violation lost = report.violations(Violation.Kind.LOST).get(0);
        assertThat(lost.node()).isEqualTo("faulty");
        assertThat(lost.ops()).containsExactly(invokeB, okB);
        assertThat(lost.summary()).contains("\"b\"", "w=all", "seq 2");
        assertThat(report.valid()).isFalse();
        assertThat(report.format()).contains("INVALID", "1 lost", "LOST");
    }

    @Test
    @DisplayName("an acknowledged write missing from every node is lost once, naming every node")
    void lostEverywhere() {
        List<StoredEntry> withoutA = List.of(entry(1, 20, "b"), entry(2, 30, "c"));

        CheckReport report = check(withoutA, withoutA, withoutA);

        assertThat(report.lost()).isEqualTo(1);
        assertThat(report.violations(Violation.Kind.LOST).get(0).node()).isEqualTo("master,secondary,faulty");
        assertThat(report.violations(Violation.Kind.LOST).get(0).ops()).containsExactly(invokeA, okA);
    }

    @Test
    @DisplayName("a message twice on a node is duplicated, an info write included")
    void duplicated() {
        List<StoredEntry> twiceC = List.of(entry(1, 10, "a"), entry(2, 20, "b"), entry(3, 30, "c"),
                entry(4, 40, "c"));

        CheckReport report = check(twiceC, twiceC, twiceC);

        assertThat(report.duplicated()).isEqualTo(3);
        Violation duplicate = report.violations(Violation.Kind.DUPLICATED).get(0);
        assertThat(duplicate.ops()).containsExactly(invokeC, infoC);
        assertThat(duplicate.entries()).containsExactly("master seq 3 id 30 \"c\"", "master seq 4 id 40 \"c\"");
    }

    @Test
    @DisplayName("ids that do not increase with seq are reordered")
    void idsOutOfOrder() {
        List<StoredEntry> swappedIds = List.of(entry(1, 10, "a"), entry(2, 31, "b"), entry(3, 30, "c"));
        History h = new History();
        Op a = h.invoke(0, "a", "1");
        h.ok(a, 1, 10);
        h.info(h.invoke(0, "b", "1"), 0, "timeout");
        h.info(h.invoke(0, "c", "1"), 0, "timeout");

        CheckReport report = Checker.check(h.ops(), logs(swappedIds, swappedIds, swappedIds));

        assertThat(report.reordered()).isEqualTo(3);
        assertThat(report.violations(Violation.Kind.REORDERED).get(0).summary())
                .contains("id 30 at seq 3 does not exceed id 31 at seq 2");
    }

    @Test
    @DisplayName("a write acknowledged before another was sent but ordered after it is reordered, shown by the "
            + "four events")
    void realTimeOrder() {
        History h = new History();
        Op first = h.invoke(0, "first", "2");
        Op firstOk = h.ok(first, 2, 20);
        Op second = h.invoke(1, "second", "2");
        Op secondOk = h.ok(second, 1, 10);
        List<StoredEntry> log = List.of(entry(1, 10, "second"), entry(2, 20, "first"));

        CheckReport report = Checker.check(h.ops(), logs(log, log, log));

        assertThat(report.reordered()).isEqualTo(1);
        assertThat(report.violations(Violation.Kind.REORDERED).get(0).ops())
                .containsExactly(first, firstOk, second, secondOk);
    }

    @Test
    @DisplayName("concurrent writes may be ordered either way")
    void concurrentWritesInEitherOrder() {
        History h = new History();
        Op first = h.invoke(0, "first", "2");
        Op second = h.invoke(1, "second", "2");
        h.ok(first, 2, 20);
        h.ok(second, 1, 10);
        List<StoredEntry> log = List.of(entry(1, 10, "second"), entry(2, 20, "first"));

        assertThat(Checker.check(h.ops(), logs(log, log, log)).valid()).isTrue();
    }

    @Test
    @DisplayName("nodes holding different sequences have diverged, shown at the first difference")
    void diverged() {
        List<StoredEntry> other = List.of(entry(1, 10, "a"), entry(2, 30, "c"), entry(3, 20, "b"));

        CheckReport report = check(log, log, other);

        Violation diverged = report.violations(Violation.Kind.DIVERGED).get(0);
        assertThat(diverged.node()).isEqualTo("faulty");
        assertThat(diverged.summary()).contains("differ at position 2");
        assertThat(diverged.entries()).contains("master seq 2 id 20 \"b\"", "faulty seq 2 id 30 \"c\"");
    }

    @Test
    @DisplayName("a node holding a shorter log has diverged")
    void shorterLog() {
        CheckReport report = check(log, log.subList(0, 2), log);

        assertThat(report.violations(Violation.Kind.DIVERGED)).singleElement()
                .satisfies(v -> assertThat(v.summary()).contains("secondary holds 2 entries and master 3"));
    }

    @Test
    @DisplayName("a seq gap, or a log not starting at 1, is a gap")
    void gap() {
        List<StoredEntry> gap = List.of(entry(1, 10, "a"), entry(3, 20, "b"), entry(4, 30, "c"));
        List<StoredEntry> late = List.of(entry(2, 10, "a"), entry(3, 20, "b"), entry(4, 30, "c"));

        CheckReport report = check(gap, gap, late);

        assertThat(report.violations(Violation.Kind.GAP)).hasSize(3);
        assertThat(report.violations(Violation.Kind.GAP).get(0).summary()).contains("seq 3 at position 2 after seq 1");
        assertThat(report.violations(Violation.Kind.GAP).get(2).summary()).contains("does not start at seq 1");
    }

    @Test
    @DisplayName("an acknowledged write stored at another seq or id than answered is misplaced")
    void misplaced() {
        History h = new History();
        Op a = h.invoke(0, "a", "1");
        h.ok(a, 2, 10);
        Op b = h.invoke(0, "b", "1");
        h.ok(b, 2, 99);
        Op c = h.invoke(0, "c", "1");
        h.info(c, 1, "504 Write concern timeout");
        List<StoredEntry> log = List.of(entry(1, 10, "a"), entry(2, 20, "b"), entry(3, 30, "c"));

        CheckReport report = Checker.check(h.ops(), logs(log, log, log));

        assertThat(report.violations(Violation.Kind.MISPLACED)).extracting(Violation::summary)
                .anySatisfy(s -> assertThat(s).contains("\"a\" was answered with seq 2"))
                .anySatisfy(s -> assertThat(s).contains("\"b\" was answered with seq 2 id 99"))
                .anySatisfy(s -> assertThat(s).contains("\"c\" was answered with seq 1"));
    }

    @Test
    @DisplayName("a write that failed with a definite error but is in the log is reported")
    void failedPresent() {
        History h = new History();
        Op a = h.invoke(0, "a", "1");
        Op failed = h.fail(a, "503 Read-only");
        List<StoredEntry> log = List.of(entry(1, 10, "a"));

        CheckReport report = Checker.check(h.ops(), logs(log, log, log));

        assertThat(report.violations(Violation.Kind.FAILED_PRESENT)).singleElement()
                .satisfies(v -> assertThat(v.ops()).containsExactly(a, failed));
        assertThat(report.fail()).isEqualTo(1);
    }

    @Test
    @DisplayName("a definite failure absent from every log is fine")
    void failedAbsent() {
        History h = new History();
        h.fail(h.invoke(0, "a", "1"), "400 Bad request");

        assertThat(Checker.check(h.ops(), logs(List.of(), List.of(), List.of())).valid()).isTrue();
    }

    @Test
    @DisplayName("an entry that no client wrote is a phantom")
    void phantom() {
        List<StoredEntry> withGhost = new ArrayList<>(log);
        withGhost.add(entry(4, 40, "ghost"));

        CheckReport report = check(withGhost, withGhost, withGhost);

        assertThat(report.violations(Violation.Kind.PHANTOM)).hasSize(3);
        assertThat(report.format()).contains("3 phantom", "\"ghost\" that no client wrote");
    }

    @Test
    @DisplayName("a write never completed counts as info")
    void neverCompletedIsInfo() {
        History h = new History();
        h.invoke(0, "a", "1");
        List<StoredEntry> log = List.of(entry(1, 10, "a"));

        CheckReport report = Checker.check(h.ops(), logs(log, log, log));

        assertThat(report.valid()).isTrue();
        assertThat(report.info()).isEqualTo(1);
    }

    @Test
    @DisplayName("a malformed history is refused: message invoked twice, completion without invocation")
    void malformedHistory() {
        History twice = new History();
        twice.invoke(0, "a", "1");
        twice.invoke(1, "a", "1");
        assertThatThrownBy(() -> Checker.check(twice.ops(), logs(log, log, log)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invoked twice");

        Op orphan = new Op(0, Op.Type.OK, 0, "x", "1", 1, 1, 0, "");
        assertThatThrownBy(() -> Checker.check(List.of(orphan), logs(log, log, log)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without invocation");
    }

    @Test
    @DisplayName("only the first few violations of a kind are spelled out")
    void formatIsBounded() {
        List<StoredEntry> empty = List.of();
        History h = new History();
        for (int i = 0; i < 20; i++) {
            h.ok(h.invoke(0, "m" + i, "1"), i + 1, i + 1);
        }

        String text = Checker.check(h.ops(), logs(empty, empty, empty)).format();

        assertThat(text).contains("20 lost", "... and 15 more LOST");
    }
}
