package dev.replog.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replog.cluster.fixture.ClusterExtension;
import dev.replog.cluster.fixture.LogEntry;
import dev.replog.cluster.fixture.ReplogClient;
import dev.replog.cluster.fixture.ReplogCluster;
import dev.replog.cluster.fixture.Written;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /messages/stream} on the master and on a secondary, over real HTTP: history first,
 * then live, one event per entry with {@code id: <seq>}, and a reconnect with Last-Event-ID
 * resumes after the last event seen.
 */
@ExtendWith(ClusterExtension.class)
@DisplayName("Live tail over Server-Sent Events")
class LiveTailIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ExecutorService READERS = Executors.newCachedThreadPool();
    private static ReplogCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = ReplogCluster.builder(LiveTailIT.class).secondary(ReplogCluster.SECONDARY).start();
    }

    @AfterAll
    static void stopReaders() {
        READERS.shutdownNow();
    }

    @Test
    @DisplayName("master and secondary stream history then live entries without gap or duplicate, "
            + "and a reconnect resumes after Last-Event-ID")
    void historyThenLiveThenResume() throws Exception {
        cluster.heal();
        for (int i = 1; i <= 5; i++) {
            Written.created(cluster.client().write("history-" + i, 2), 2, 2);
        }
        CompletableFuture<List<Event>> fromMaster = read(cluster.master().url(), null, "1", 30);
        CompletableFuture<List<Event>> fromSecondary = read(cluster.node(ReplogCluster.SECONDARY).url(), null, null, 30);
        for (int i = 6; i <= 30; i++) {
            Written.created(cluster.client().write("live-" + i, 2), 2, 2);
        }
        List<LogEntry> log = cluster.client().messages();
        for (CompletableFuture<List<Event>> stream : List.of(fromMaster, fromSecondary)) {
            List<Event> events = stream.get(60, TimeUnit.SECONDS);
            assertThat(events).extracting(Event::id).containsExactlyElementsOf(
                    Stream.iterate(1L, seq -> seq + 1).limit(30).map(String::valueOf).toList());
            assertThat(events).extracting(Event::entry).containsExactlyElementsOf(log);
        }

        List<Event> resumed = read(cluster.node(ReplogCluster.SECONDARY).url(), "27", "1", 3).get(30, TimeUnit.SECONDS);
        assertThat(resumed).extracting(Event::entry).containsExactlyElementsOf(log.subList(27, 30));
    }

    /** Reads {@code count} events from a node's stream in the background, then disconnects. */
    private static CompletableFuture<List<Event>> read(URI node, String lastEventId, String from, int count) {
        return CompletableFuture.supplyAsync(() -> {
            HttpRequest.Builder request = HttpRequest.newBuilder(
                    node.resolve("/messages/stream" + (from == null ? "" : "?from=" + from)))
                    .header("Accept", "text/event-stream")
                    .timeout(Duration.ofSeconds(60));
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            try {
                HttpResponse<Stream<String>> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofLines());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                        type -> assertThat(type).startsWith("text/event-stream"));
                List<Event> events = new ArrayList<>();
                String id = null;
                try (Stream<String> lines = response.body()) {
                    for (String line : (Iterable<String>) lines::iterator) {
                        if (line.startsWith("id:")) {
                            id = line.substring(3).trim();
                        } else if (line.startsWith("data:")) {
                            JsonNode data = ReplogClient.JSON.readTree(line.substring(5).trim());
                            events.add(new Event(id, LogEntry.of(data)));
                            if (events.size() == count) {
                                return events;
                            }
                        }
                    }
                }
                throw new AssertionError("the stream ended after " + events.size() + " events");
            } catch (IOException e) {
                throw new AssertionError(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }, READERS);
    }

    private record Event(String id, LogEntry entry) {
    }
}
