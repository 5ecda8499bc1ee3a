package dev.replog.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;

/**
 * Random runs of a correct master (writes from several clients, appended in some order, answered
 * ok, fail or info) must pass the checker, and each single defect planted in their logs must fail it.
 */
@Label("Checker on random runs")
class CheckerPropertiesTest {

    @Property(tries = 200)
    @Label("the logs of a correct master are valid")
    void correctRunsAreValid(@ForAll long seed) {
        Run run = Run.random(new Random(seed));

        CheckReport report = Checker.check(run.history.ops(), run.logs(run.log, run.log));

        assertThat(report.valid()).as(report.format()).isTrue();
    }

    @Property(tries = 200)
    @Label("dropping an acknowledged entry from one node is reported lost")
    void droppedEntryIsLost(@ForAll long seed) {
        Random random = new Random(seed);
        Run run = Run.random(random);
        List<StoredEntry> acked = run.log.stream().filter(e -> run.acked.contains(e.message())).toList();
        if (acked.isEmpty()) {
            return;
        }
        StoredEntry dropped = acked.get(random.nextInt(acked.size()));
        List<StoredEntry> damaged = new ArrayList<>();
        for (StoredEntry entry : run.log) {
            if (entry != dropped) {
                damaged.add(new StoredEntry(damaged.size() + 1, entry.id(), entry.message()));
            }
        }

        CheckReport report = Checker.check(run.history.ops(), run.logs(run.log, damaged));

        assertThat(report.violations(Violation.Kind.LOST)).as(report.format()).singleElement()
                .satisfies(v -> assertThat(v.summary()).contains(dropped.message()));
    }

    @Property(tries = 200)
    @Label("swapping two neighbouring entries on every node is reported")
    void swapIsReported(@ForAll long seed) {
        Random random = new Random(seed);
        Run run = Run.random(random);
        if (run.log.size() < 2) {
            return;
        }
        int at = random.nextInt(run.log.size() - 1);
        List<StoredEntry> swapped = new ArrayList<>(run.log);
        StoredEntry first = swapped.get(at);
        StoredEntry second = swapped.get(at + 1);
        swapped.set(at, new StoredEntry(first.seq(), second.id(), second.message()));
        swapped.set(at + 1, new StoredEntry(second.seq(), first.id(), first.message()));

        CheckReport report = Checker.check(run.history.ops(), run.logs(swapped, swapped));

        assertThat(report.reordered()).as(report.format()).isPositive();
    }

    /** A simulated correct master: one log, writes appended in the order the master takes them. */
    private static final class Run {
        final History history = new History();
        final List<StoredEntry> log = new ArrayList<>();
        final List<String> acked = new ArrayList<>();

        static Run random(Random random) {
            Run run = new Run();
            int clients = 1 + random.nextInt(4);
            int writes = random.nextInt(40);
            Op[] inFlight = new Op[clients];
            StoredEntry[] appended = new StoredEntry[clients];
            long id = 0;
            int sent = 0;
            while (sent < writes || java.util.Arrays.stream(inFlight).anyMatch(op -> op != null)) {
                int c = random.nextInt(clients);
                if (inFlight[c] == null) {
                    if (sent < writes) {
                        inFlight[c] = run.history.invoke(c, "m" + sent++, List.of("1", "2", "all").get(random.nextInt(3)));
                    }
                } else if (appended[c] == null && random.nextBoolean()) {
                    id += 1 + random.nextInt(3);
                    appended[c] = new StoredEntry(run.log.size() + 1, id, inFlight[c].message());
                    run.log.add(appended[c]);
                } else {
                    run.complete(random, inFlight[c], appended[c]);
                    inFlight[c] = null;
                    appended[c] = null;
                }
            }
            return run;
        }

        private void complete(Random random, Op invoke, StoredEntry entry) {
            if (entry == null) {
                if (random.nextBoolean()) {
                    history.fail(invoke, "503 Read-only");
                } else {
                    history.info(invoke, 0, "connection refused");
                }
            } else if (random.nextInt(4) > 0) {
                history.ok(invoke, entry.seq(), entry.id());
                acked.add(entry.message());
            } else {
                history.info(invoke, random.nextBoolean() ? entry.seq() : 0, "504");
            }
        }

        Map<String, List<StoredEntry>> logs(List<StoredEntry> master, List<StoredEntry> secondary) {
            Map<String, List<StoredEntry>> logs = new LinkedHashMap<>();
            logs.put("master", master);
            logs.put("secondary", secondary);
            return logs;
        }
    }
}
