package dev.replog.bench.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns the JSON lines of a {@code bin/bench-compare} run into one table (markdown, also printed)
 * with the ratios the performance goals are stated in, and a TSV for gnuplot ({@code <table>.tsv}).
 * Systems are told apart by the first word of each run's label: {@code replog}, {@code redis-always},
 * {@code redis-everysec}, {@code etcd}.
 */
public final class CompareTable {

    private CompareTable() {
    }

    record Run(String system, String w, int clients, int batch, double ops, double msgs, double p50, double p99,
            double p999, long errors) {
    }

    public static void main(String[] args) throws Exception {
        JsonMapper json = JsonMapper.builder().build();
        List<Run> runs = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode r = json.readTree(line);
            runs.add(new Run(r.path("label").asString().split(" ")[0], r.path("w").asString(), r.path("clients").asInt(),
                    r.path("batch").asInt(), r.path("opsPerSecond").asDouble(), r.path("messagesPerSecond").asDouble(),
                    r.path("p50Ms").asDouble(), r.path("p99Ms").asDouble(), r.path("p999Ms").asDouble(),
                    r.path("errors").asLong()));
        }
        StringBuilder md = new StringBuilder();
        StringBuilder tsv = new StringBuilder("# w clients replog redis-always etcd\n");
        md.append("| w | clients | replog ops/s | p50 / p99 ms | Redis always ops/s | p50 / p99 ms | etcd ops/s "
                + "| p50 / p99 ms | replog / Redis | replog / etcd |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|\n");
        TreeSet<String> ws = new TreeSet<>();
        TreeSet<Integer> clients = new TreeSet<>();
        runs.stream().filter(r -> r.batch() == 1 && !r.system().equals("etcd")).forEach(r -> ws.add(r.w()));
        runs.stream().filter(r -> r.batch() == 1).forEach(r -> clients.add(r.clients()));
        for (String w : ws) {
            for (int c : clients) {
                Optional<Run> replog = find(runs, "replog", w, c);
                Optional<Run> redis = find(runs, "redis-always", w, c);
                // etcd has one write concern (a majority): the same run stands in every row
                Optional<Run> etcd = runs.stream().filter(r -> r.system().equals("etcd") && r.clients() == c).findFirst();
                md.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s |%n", w, c,
                        ops(replog), lat(replog), ops(redis), lat(redis), ops(etcd), lat(etcd),
                        ratio(replog, redis), ratio(replog, etcd)));
                tsv.append(String.format(Locale.ROOT, "\"w=%s c=%d\" %.0f %.0f %.0f%n", w, c,
                        replog.map(Run::ops).orElse(0.0), redis.map(Run::ops).orElse(0.0), etcd.map(Run::ops).orElse(0.0)));
            }
        }
        md.append('\n');
        Optional<Run> everysec = find(runs, "redis-everysec", "1", 16);
        Optional<Run> batch = runs.stream().filter(r -> r.system().equals("replog") && r.batch() > 1).findFirst();
        md.append("| goal | measured | met |\n|---|---|---|\n");
        goal(md, "w=3, 64 clients: replog >= 2x Redis (appendfsync always, SET+WAIT 2)",
                find(runs, "replog", "3", 64), find(runs, "redis-always", "3", 64), 2.0);
        goal(md, "w=3, 64 clients: replog >= 3x etcd put",
                find(runs, "replog", "3", 64), runs.stream().filter(r -> r.system().equals("etcd") && r.clients() == 64)
                        .findFirst(), 3.0);
        goal(md, "w=1, 16 clients: replog >= 0.5x Redis (appendfsync everysec, SET)", find(runs, "replog", "1", 16),
                everysec, 0.5);
        Optional<Run> p99 = find(runs, "replog", "3", 16);
        md.append(String.format(Locale.ROOT, "| p99 at 16 clients, w=3 <= 10 ms | %s | %s |%n",
                p99.map(r -> String.format(Locale.ROOT, "%.2f ms", r.p99())).orElse("-"),
                p99.map(r -> r.p99() <= 10 ? "yes" : "no").orElse("-")));
        md.append(String.format(Locale.ROOT, "| batches of 100 at w=3: >= 100k messages/s | %s | %s |%n",
                batch.map(r -> String.format(Locale.ROOT, "%.0f msgs/s (%d clients, p99 %.1f ms)", r.msgs(),
                        r.clients(), r.p99())).orElse("-"),
                batch.map(r -> r.msgs() >= 100_000 ? "yes" : "no").orElse("-")));
        Optional<Run> r16 = find(runs, "replog", "3", 16);
        Optional<Run> r64 = find(runs, "replog", "3", 64);
        md.append(String.format(Locale.ROOT, "| throughput grows with clients (w=3: 16 -> 64) | %s | %s |%n",
                r16.isPresent() && r64.isPresent()
                        ? String.format(Locale.ROOT, "%.0f -> %.0f ops/s", r16.get().ops(), r64.get().ops()) : "-",
                r16.isPresent() && r64.isPresent() ? (r64.get().ops() >= r16.get().ops() ? "yes" : "no") : "-"));
        long errors = runs.stream().mapToLong(Run::errors).sum();
        if (errors > 0) {
            md.append("\nFailed operations in the runs: ").append(errors).append(" (see runs.txt)\n");
        }
        Files.writeString(Path.of(args[1]), md);
        Files.writeString(Path.of(args[1] + ".tsv"), tsv);
        System.out.print(md);
    }

    private static Optional<Run> find(List<Run> runs, String system, String w, int clients) {
        return runs.stream().filter(r -> r.system().equals(system) && r.w().equals(w) && r.clients() == clients
                && r.batch() == 1).findFirst();
    }

    private static void goal(StringBuilder md, String text, Optional<Run> ours, Optional<Run> theirs, double want) {
        String measured = ours.isPresent() && theirs.isPresent() && theirs.get().ops() > 0
                ? String.format(Locale.ROOT, "%.0f vs %.0f ops/s = %.2fx", ours.get().ops(), theirs.get().ops(),
                        ours.get().ops() / theirs.get().ops())
                : "-";
        String met = measured.equals("-") ? "-" : ours.get().ops() / theirs.get().ops() >= want ? "yes" : "no";
        md.append("| ").append(text).append(" | ").append(measured).append(" | ").append(met).append(" |\n");
    }

    private static String ops(Optional<Run> run) {
        return run.map(r -> String.format(Locale.ROOT, "%.0f", r.ops())).orElse("-");
    }

    private static String lat(Optional<Run> run) {
        return run.map(r -> String.format(Locale.ROOT, "%.1f / %.1f", r.p50(), r.p99())).orElse("-");
    }

    private static String ratio(Optional<Run> ours, Optional<Run> theirs) {
        if (ours.isEmpty() || theirs.isEmpty() || theirs.get().ops() == 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.2fx", ours.get().ops() / theirs.get().ops());
    }
}
