package dev.replog.bench.load;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * One phase of {@code bin/bench producer}: messages acknowledged per second over the measured time,
 * and the latency of one operation (the phase's {@code operation}: a message from {@code send} to its
 * seq, one append, one batch request), in milliseconds.
 */
record PhaseFigures(String phase, String operation, int callers, double seconds, long operations,
        double messagesPerSecond, long errors, double p50Ms, double p99Ms, double p999Ms, double maxMs,
        String firstError) {

    /** From a histogram of microseconds; each operation carried {@code messagesPerOperation} messages. */
    static PhaseFigures of(String phase, String operation, int callers, Duration measured, Histogram micros,
            int messagesPerOperation, long errors, String firstError) {
        double seconds = measured.toNanos() / 1e9;
        long ops = micros.getTotalCount();
        return new PhaseFigures(phase, operation, callers, seconds, ops, ops * messagesPerOperation / seconds, errors,
                micros.getValueAtPercentile(50) / 1000.0, micros.getValueAtPercentile(99) / 1000.0,
                micros.getValueAtPercentile(99.9) / 1000.0, micros.getMaxValue() / 1000.0, firstError);
    }

    /** A run of {@link LoadBench}: the raw endpoint. */
    static PhaseFigures of(String phase, String operation, LoadBench.Result r) {
        return new PhaseFigures(phase, operation, r.clients(), r.seconds(), r.ops(), r.messagesPerSecond(), r.errors(),
                r.p50Ms(), r.p99Ms(), r.p999Ms(), r.maxMs(), r.firstError());
    }

    /** The phases side by side, one line each, and each phase's first error below. */
    static String table(List<PhaseFigures> phases) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-22s %7s %10s %8s %8s %8s %8s %7s  %s%n",
                "phase", "callers", "msgs/s", "p50 ms", "p99 ms", "p999 ms", "max ms", "errors", "latency of"));
        for (PhaseFigures p : phases) {
            out.append(String.format(Locale.ROOT, "%-22s %7d %10.0f %8.2f %8.2f %8.2f %8.2f %7d  %s%n", p.phase(),
                    p.callers(), p.messagesPerSecond(), p.p50Ms(), p.p99Ms(), p.p999Ms(), p.maxMs(), p.errors(),
                    p.operation()));
        }
        for (PhaseFigures p : phases) {
            if (p.firstError() != null) {
                out.append("  ").append(p.phase()).append(", first error: ").append(p.firstError()).append('\n');
            }
        }
        return out.toString();
    }
}
