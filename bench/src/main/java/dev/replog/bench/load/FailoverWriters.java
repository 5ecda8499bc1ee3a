package dev.replog.bench.load;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Closed-loop writers that ride through a takeover as a careful program does: each sends one
 * message at a time (a unique text) with its own {@code Idempotency-Key}, follows a {@code 307} to
 * the active master, and on a {@code 503}, a {@code 504} or a lost connection sends the same message
 * with the same key again after {@code retryDelay} (after a lost connection, to the next node of
 * the list: any node redirects to the active master once it knows it). A message counts as
 * acknowledged on a {@code 201}, or a {@code 200} for a replayed key. Each acknowledgement is kept
 * (seq, the node that answered, when), compactly: a run of minutes at thousands of writes per
 * second keeps millions.
 *
 * <p>Message {@code n} (from 0) of writer {@code c} reads {@code <run>-<c>-<n>-xxx...}, padded to
 * {@code size} bytes, so {@link #parse} finds the writer and the number again in a node's log.
 */
final class FailoverWriters {

    private final List<URI> nodes;
    private final String run;
    private final String w;
    private final int size;
    private final long retryDelayNanos;
    private final Writer[] writers;
    private final Map<String, AtomicLong> answers = new ConcurrentHashMap<>();
    private final List<String> unexpected = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final long createdNanos = System.nanoTime();
    /** Per node: when it last acknowledged a write (0: never). */
    private final java.util.concurrent.atomic.AtomicLongArray lastAck;
    private volatile boolean running;

    /**
     * @param nodes every node that may answer a write (master instances and secondaries); writers
     *              start at the first
     */
    FailoverWriters(List<URI> nodes, int clients, String w, int size, long retryDelayMillis, String run) {
        this.nodes = List.copyOf(nodes);
        this.run = run;
        this.w = w;
        this.size = size;
        this.retryDelayNanos = TimeUnit.MILLISECONDS.toNanos(retryDelayMillis);
        this.lastAck = new java.util.concurrent.atomic.AtomicLongArray(nodes.size());
        this.writers = new Writer[clients];
        for (int c = 0; c < clients; c++) {
            writers[c] = new Writer(c);
        }
    }

    void start() {
        running = true;
        for (Writer writer : writers) {
            Thread thread = new Thread(writer, "writer-" + writer.client);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    /** Stops once each writer's message in hand is acknowledged, or {@code atMostMillis} passed. */
    void stop(long atMostMillis) throws InterruptedException {
        running = false;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(atMostMillis);
        for (Thread thread : threads) {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
    }

    /** When node {@code node} last acknowledged a write (System.nanoTime; 0: never). */
    long lastAck(int node) {
        return lastAck.get(node);
    }

    int clients() {
        return writers.length;
    }

    List<URI> nodes() {
        return nodes;
    }

    /** Every acknowledgement so far, in time order. */
    Acks acks() {
        // packed as (time since the start) << 8 | node: one long[] sort instead of sorting pairs
        long[] packed = new long[0];
        int at = 0;
        for (Writer writer : writers) {
            synchronized (writer) {
                packed = Arrays.copyOf(packed, at + writer.count);
                for (int i = 0; i < writer.count; i++) {
                    if (writer.times[i] != 0) {
                        packed[at++] = (writer.times[i] - createdNanos) << 8 | (writer.nodes[i] & 0xff);
                    }
                }
            }
        }
        packed = Arrays.copyOf(packed, at);
        Arrays.sort(packed);
        long[] times = new long[at];
        byte[] nodes = new byte[at];
        for (int i = 0; i < at; i++) {
            times[i] = (packed[i] >>> 8) + createdNanos;
            nodes[i] = (byte) (packed[i] & 0xff);
        }
        return new Acks(times, nodes);
    }

    /** Acknowledgement times (System.nanoTime, ascending) and the index of the node that gave each. */
    record Acks(long[] times, byte[] nodes) {
    }

    /** The seq each message of writer {@code client} was acknowledged with (0: not acknowledged), by number. */
    long[] ackedSeqs(int client) {
        Writer writer = writers[client];
        synchronized (writer) {
            return Arrays.copyOf(writer.seqs, writer.count);
        }
    }

    long acknowledged() {
        long n = 0;
        for (Writer writer : writers) {
            synchronized (writer) {
                for (int i = 0; i < writer.count; i++) {
                    if (writer.times[i] != 0) {
                        n++;
                    }
                }
            }
        }
        return n;
    }

    /** Answers by kind: "201", "200", "307", "503 No master", "io", ... */
    Map<String, Long> answers() {
        Map<String, Long> counts = new TreeMap<>();
        answers.forEach((kind, count) -> counts.put(kind, count.get()));
        return counts;
    }

    /** Answers outside the contract (a 4xx, a 500, a 2xx without seq, no answer within 90 s). */
    List<String> unexpected() {
        return List.copyOf(unexpected);
    }

    /** {@code {client, number}} of a message of this run, or null. */
    long[] parse(String message) {
        if (!message.startsWith(run) || message.length() <= run.length() + 1 || message.charAt(run.length()) != '-') {
            return null;
        }
        int start = run.length() + 1;
        int dash = message.indexOf('-', start);
        int end = dash < 0 ? -1 : message.indexOf('-', dash + 1);
        if (end < 0) {
            return null;
        }
        try {
            return new long[] {Long.parseLong(message, start, dash, 10), Long.parseLong(message, dash + 1, end, 10)};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    String message(int client, long number) {
        StringBuilder text = new StringBuilder(Math.max(size, 32)).append(run).append('-').append(client).append('-')
                .append(number).append('-');
        while (text.length() < size) {
            text.append('x');
        }
        return text.toString();
    }

    private void count(String kind) {
        answers.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
    }

    private final class Writer implements Runnable {

        private static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(90);
        private final int client;
        private final HttpConnection[] connections;
        /** Per message number: acknowledged seq (0: none), when (nanoTime, 0: not acknowledged), which node. */
        private long[] seqs = new long[1 << 14];
        private long[] times = new long[1 << 14];
        private byte[] nodes = new byte[1 << 14];
        private int count;
        private int target;

        Writer(int client) {
            this.client = client;
            this.connections = new HttpConnection[FailoverWriters.this.nodes.size()];
        }

        @Override
        public void run() {
            try {
                for (long number = 0; running; number++) {
                    deliver(number);
                }
            } finally {
                for (HttpConnection connection : connections) {
                    if (connection != null) {
                        connection.close();
                    }
                }
            }
        }

        private HttpConnection connection(int node) {
            if (connections[node] == null) {
                connections[node] = new HttpConnection(FailoverWriters.this.nodes.get(node), 30_000);
            }
            return connections[node];
        }

        private void deliver(long number) {
            String message = message(client, number);
            byte[] body = ("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
            String key = "Idempotency-Key: " + run + "-" + client + "-" + number + "\r\n";
            String path = "/messages?w=" + w;
            long giveUp = System.nanoTime() + GIVE_UP_NANOS;
            int redirects = 0;
            while (System.nanoTime() < giveUp) {
                HttpConnection.Response response;
                try {
                    response = connection(target).post(path, body, key);
                } catch (IOException connectionLost) {
                    connection(target).close();
                    count("io");
                    target = (target + 1) % connections.length;
                    LockSupport.parkNanos(retryDelayNanos);
                    continue;
                }
                int status = response.status();
                if (status == 201 || status == 200) {
                    long seq = seqOf(response.text());
                    if (seq <= 0) {
                        unexpected.add(status + " without seq: " + response.text());
                        record(number, 0, 0);
                        return;
                    }
                    count(Integer.toString(status));
                    record(number, seq, System.nanoTime());
                    return;
                }
                if (status == 307 && response.location() != null) {
                    count("307");
                    target = indexOf(URI.create(response.location()), target);
                    if (++redirects % 4 == 0) { // a loop while nodes disagree on the master: pause as after a 503
                        LockSupport.parkNanos(retryDelayNanos);
                    }
                    continue;
                }
                if (status == 503 || status == 504) {
                    count(status + (status == 503 ? " " + titleOf(response.text()) : ""));
                    LockSupport.parkNanos(retryDelayNanos);
                    continue;
                }
                unexpected.add(status + " " + response.text());
                record(number, 0, 0);
                return;
            }
            unexpected.add("no acknowledgement within 90 s for " + message);
            record(number, 0, 0);
        }

        private synchronized void record(long number, long seq, long at) {
            int i = (int) number;
            if (i >= seqs.length) {
                seqs = Arrays.copyOf(seqs, seqs.length * 2);
                times = Arrays.copyOf(times, times.length * 2);
                nodes = Arrays.copyOf(nodes, nodes.length * 2);
            }
            seqs[i] = seq;
            times[i] = at;
            nodes[i] = (byte) target;
            count = i + 1;
            if (at != 0) {
                lastAck.lazySet(target, at);
            }
        }

        private int indexOf(URI location, int otherwise) {
            List<URI> all = FailoverWriters.this.nodes;
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).getPort() == location.getPort()) {
                    return i;
                }
            }
            return otherwise;
        }
    }

    /** The {@code seq} of an answer like {@code {"seq":12,"id":12,"w":2,"acks":2}}; 0 if none. */
    static long seqOf(String json) {
        int at = json.indexOf("\"seq\"");
        if (at < 0) {
            return 0;
        }
        int i = json.indexOf(':', at) + 1;
        while (i < json.length() && json.charAt(i) == ' ') {
            i++;
        }
        long seq = 0;
        while (i < json.length() && Character.isDigit(json.charAt(i))) {
            seq = seq * 10 + (json.charAt(i++) - '0');
        }
        return seq;
    }

    /** The {@code title} of a problem+json answer ("" if none). */
    static String titleOf(String json) {
        int at = json.indexOf("\"title\"");
        if (at < 0) {
            return "";
        }
        int open = json.indexOf('"', json.indexOf(':', at) + 1);
        int close = open < 0 ? -1 : json.indexOf('"', open + 1);
        return close < 0 ? "" : json.substring(open + 1, close);
    }
}
