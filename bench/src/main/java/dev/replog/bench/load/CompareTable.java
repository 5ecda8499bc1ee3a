package dev.replog.bench.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns the JSON lines of a {@code bin/bench-compare} run into one table (markdown, also printed)
 * with the ratios the performance goals are stated in, and a TSV for gnuplot ({@code <table>.tsv}).
 * Systems are told apart by the first word of each run's label: {@code replog}, {@code redis-always},
 * {@code redis-everysec}, {@code etcd}, {@code ceiling} (the stack ceiling: a server that answers a fixed
 * {@code 201}); a {@code round=N} word says which round of the matrix a run
 * belongs to (1 without it).
 *
 * <p>With several rounds a cell shows its median run (the middle one by throughput, so that its
 * latencies are one real run's), and a ratio is the median of the rounds' own ratios, with their
 * range: the two sides of a ratio were measured one right after the other in the same round, so a
 * drift of the machine's speed between rounds cancels out of it.
 */
public final class CompareTable {

    /** The label's first word of the stack ceiling's runs ({@code bench ceiling}, a fixed 201). */
    static final String CEILING = "ceiling";

    private CompareTable() {
    }

    record Run(String system, int round, String w, int clients, int batch, double ops, double msgs, double p50,
            double p99, double p999, long errors) {

        static Run of(JsonNode r) {
            String[] label = r.path("label").asString().split(" ");
            int round = 1;
            for (String word : label) {
                if (word.startsWith("round=")) {
                    round = Integer.parseInt(word.substring("round=".length()));
                }
            }
            return new Run(label[0], round, r.path("w").asString(), r.path("clients").asInt(), r.path("batch").asInt(),
                    r.path("opsPerSecond").asDouble(), r.path("messagesPerSecond").asDouble(), r.path("p50Ms").asDouble(),
                    r.path("p99Ms").asDouble(), r.path("p999Ms").asDouble(), r.path("errors").asLong());
        }
    }

    /** A ratio over the rounds both sides ran in: the median of the per-round ratios and their range. */
    record Ratio(double median, double min, double max, int rounds) {

        @Override
        public String toString() {
            return rounds == 1 ? String.format(Locale.ROOT, "%.2fx", median)
                    : String.format(Locale.ROOT, "%.2fx (%.2f-%.2f)", median, min, max);
        }
    }

    public static void main(String[] args) throws Exception {
        JsonMapper json = JsonMapper.builder().build();
        List<Run> runs = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            if (!line.isBlank()) {
                runs.add(Run.of(json.readTree(line)));
            }
        }
        String md = markdown(runs);
        Files.writeString(Path.of(args[1]), md);
        Files.writeString(Path.of(args[1] + ".tsv"), tsv(runs));
        System.out.print(md);
    }

    static String markdown(List<Run> runs) {
        StringBuilder md = new StringBuilder();
        int rounds = runs.stream().mapToInt(Run::round).max().orElse(1);
        if (rounds > 1) {
            md.append(String.format(Locale.ROOT, "%d rounds: each cell shows its median run; a ratio is the median "
                    + "of the rounds' ratios (their range in brackets).%n%n", rounds));
        }
        md.append("| w | clients | replog ops/s | p50 / p99 ms | Redis always ops/s | p50 / p99 ms | etcd ops/s "
                + "| p50 / p99 ms | replog / Redis | replog / etcd |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (String w : ws(runs)) {
            for (int c : clients(runs)) {
                List<Run> replog = cell(runs, "replog", w, c);
                List<Run> redis = cell(runs, "redis-always", w, c);
                List<Run> etcd = etcd(runs, c);
                md.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s |%n", w, c,
                        ops(replog), lat(replog), ops(redis), lat(redis), ops(etcd), lat(etcd),
                        text(ratio(replog, redis)), text(ratio(replog, etcd))));
            }
        }
        ceiling(md, runs);
        md.append("\n| goal | measured | met |\n|---|---|---|\n");
        goal(md, "w=3, 64 clients: replog >= 2x Redis (appendfsync always, SET+WAIT 2)",
                cell(runs, "replog", "3", 64), cell(runs, "redis-always", "3", 64), 2.0);
        goal(md, "w=3, 64 clients: replog >= 3x etcd put", cell(runs, "replog", "3", 64), etcd(runs, 64), 3.0);
        goal(md, "w=1, 16 clients: replog >= 0.5x Redis (appendfsync everysec, SET)", cell(runs, "replog", "1", 16),
                cell(runs, "redis-everysec", "1", 16), 0.5);
        Optional<Double> p99 = median(cell(runs, "replog", "3", 16), Run::p99);
        md.append(String.format(Locale.ROOT, "| p99 at 16 clients, w=3 <= 10 ms | %s | %s |%n",
                p99.map(ms -> String.format(Locale.ROOT, "%.2f ms", ms)).orElse("-"),
                p99.map(ms -> ms <= 10 ? "yes" : "no").orElse("-")));
        Optional<Run> batch = median(runs.stream().filter(r -> r.system().equals("replog") && r.batch() > 1).toList());
        md.append(String.format(Locale.ROOT, "| batches of 100 at w=3: >= 100k messages/s | %s | %s |%n",
                batch.map(r -> String.format(Locale.ROOT, "%.0f msgs/s (%d clients, p99 %.1f ms)", r.msgs(),
                        r.clients(), r.p99())).orElse("-"),
                batch.map(r -> r.msgs() >= 100_000 ? "yes" : "no").orElse("-")));
        Optional<Run> r16 = median(cell(runs, "replog", "3", 16));
        Optional<Run> r64 = median(cell(runs, "replog", "3", 64));
        boolean both = r16.isPresent() && r64.isPresent();
        md.append(String.format(Locale.ROOT, "| throughput grows with clients (w=3: 16 -> 64) | %s | %s |%n",
                both ? String.format(Locale.ROOT, "%.0f -> %.0f ops/s", r16.get().ops(), r64.get().ops()) : "-",
                both ? (r64.get().ops() >= r16.get().ops() ? "yes" : "no") : "-"));
        long errors = runs.stream().mapToLong(Run::errors).sum();
        if (errors > 0) {
            md.append("\nFailed operations in the runs: ").append(errors).append(" (see runs.txt)\n");
        }
        return md.toString();
    }

    /**
     * The stack ceiling's rows, when it ran: the same load against a server that answers a fixed 201
     * and does nothing else, and replog's {@code w=3} as a share of it (how close replication and
     * durability come to free). It ignores {@code w}: its runs stand against every replog row.
     */
    private static void ceiling(StringBuilder md, List<Run> runs) {
        List<Integer> measured = clients(runs).stream().filter(c -> !ceiling(runs, c).isEmpty()).toList();
        if (measured.isEmpty()) {
            return;
        }
        md.append("\n| stack ceiling: Reactor Netty, a fixed 201 | ceiling ops/s | p50 / p99 ms | replog w=3 ops/s "
                + "| replog w=3 / ceiling |\n|---|---|---|---|---|\n");
        for (int c : measured) {
            List<Run> ceiling = ceiling(runs, c);
            List<Run> replog = cell(runs, "replog", "3", c);
            md.append(String.format(Locale.ROOT, "| %d clients | %s | %s | %s | %s |%n", c, ops(ceiling), lat(ceiling),
                    ops(replog), text(ratio(replog, ceiling))));
        }
    }

    private static List<Run> ceiling(List<Run> runs, int clients) {
        return runs.stream().filter(r -> r.system().equals(CEILING) && r.clients() == clients).toList();
    }

    /** The median runs' throughput per row, for the plot. */
    static String tsv(List<Run> runs) {
        StringBuilder tsv = new StringBuilder("# w clients replog redis-always etcd\n");
        for (String w : ws(runs)) {
            for (int c : clients(runs)) {
                tsv.append(String.format(Locale.ROOT, "\"w=%s c=%d\" %.0f %.0f %.0f%n", w, c,
                        opsOf(cell(runs, "replog", w, c)), opsOf(cell(runs, "redis-always", w, c)), opsOf(etcd(runs, c))));
            }
        }
        return tsv.toString();
    }

    private static TreeSet<String> ws(List<Run> runs) {
        return runs.stream().filter(r -> r.batch() == 1 && !r.system().equals("etcd") && !r.system().equals(CEILING))
                .map(Run::w)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static TreeSet<Integer> clients(List<Run> runs) {
        return runs.stream().filter(r -> r.batch() == 1).map(Run::clients)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The single-message runs of one system at one write concern and client count, one per round. */
    static List<Run> cell(List<Run> runs, String system, String w, int clients) {
        return runs.stream().filter(r -> r.system().equals(system) && r.w().equals(w) && r.clients() == clients
                && r.batch() == 1).toList();
    }

    /** etcd has one write concern (a majority): the same runs stand in every row. */
    private static List<Run> etcd(List<Run> runs, int clients) {
        return runs.stream().filter(r -> r.system().equals("etcd") && r.clients() == clients).toList();
    }

    /** The run in the middle by throughput (the lower middle one of an even count). */
    static Optional<Run> median(List<Run> runs) {
        if (runs.isEmpty()) {
            return Optional.empty();
        }
        List<Run> sorted = runs.stream().sorted(Comparator.comparingDouble(Run::ops)).toList();
        return Optional.of(sorted.get((sorted.size() - 1) / 2));
    }

    private static Optional<Double> median(List<Run> runs, Function<Run, Double> value) {
        List<Double> sorted = runs.stream().map(value).sorted().toList();
        return sorted.isEmpty() ? Optional.empty() : Optional.of(sorted.get((sorted.size() - 1) / 2));
    }

    /** ours over theirs, round by round, over the rounds both ran in. */
    static Optional<Ratio> ratio(List<Run> ours, List<Run> theirs) {
        Map<Integer, Run> theirsByRound = theirs.stream().collect(Collectors.toMap(Run::round, r -> r, (a, b) -> a));
        List<Double> ratios = ours.stream()
                .filter(r -> theirsByRound.containsKey(r.round()) && theirsByRound.get(r.round()).ops() > 0)
                .map(r -> r.ops() / theirsByRound.get(r.round()).ops())
                .sorted()
                .toList();
        if (ratios.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Ratio(ratios.get((ratios.size() - 1) / 2), ratios.get(0), ratios.get(ratios.size() - 1),
                ratios.size()));
    }

    private static void goal(StringBuilder md, String text, List<Run> ours, List<Run> theirs, double want) {
        Optional<Ratio> ratio = ratio(ours, theirs);
        String measured = ratio.map(r -> String.format(Locale.ROOT, "%.0f vs %.0f ops/s = %s", opsOf(ours),
                opsOf(theirs), r)).orElse("-");
        String met = ratio.map(r -> r.median() >= want ? "yes" : "no").orElse("-");
        md.append("| ").append(text).append(" | ").append(measured).append(" | ").append(met).append(" |\n");
    }

    private static double opsOf(List<Run> runs) {
        return median(runs).map(Run::ops).orElse(0.0);
    }

    private static String ops(List<Run> runs) {
        return median(runs).map(r -> String.format(Locale.ROOT, "%.0f", r.ops())).orElse("-");
    }

    private static String lat(List<Run> runs) {
        return median(runs).map(r -> String.format(Locale.ROOT, "%.1f / %.1f", r.p50(), r.p99())).orElse("-");
    }

    private static String text(Optional<Ratio> ratio) {
        return ratio.map(Ratio::toString).orElse("-");
    }
}
