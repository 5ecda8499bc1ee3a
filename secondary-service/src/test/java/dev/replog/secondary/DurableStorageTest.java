package dev.replog.secondary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replog.common.log.FileLogStore;
import dev.replog.common.log.LogRecord;
import dev.replog.common.log.LogStore;
import dev.replog.common.protocol.AppendResponse;
import dev.replog.common.protocol.ReplicationPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The whole secondary over HTTP keeps its log and its epoch on disk, under {@code replog.data-dir}. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "server.address=127.0.0.1", "spring.reactor.netty.shutdown-quiet-period=0s",
        "replog.storage.segment-bytes=1KB"})
@AutoConfigureWebTestClient
class DurableStorageTest {

    @TempDir
    static Path dataDirs;

    private static Path dataDir;

    @DynamicPropertySource
    static void ownDataDir(DynamicPropertyRegistry registry) {
        dataDir = TestDataDirs.register(registry, dataDirs);
    }

    @Autowired
    private WebTestClient client;

    @Autowired
    private LogStore store;

    @Test
    void appendedEntriesAreInSegmentFilesWithTheMastersEpochAndTheEpochIsInItsFile()
            throws IOException {
        assertThat(store).isInstanceOf(FileLogStore.class);
        StringBuilder entries = new StringBuilder();
        for (int seq = 1; seq <= 40; seq++) {
            entries.append(seq == 1 ? "" : ",")
                    .append("{\"seq\":").append(seq).append(",\"id\":").append(seq * 10)
                    .append(",\"message\":\"message number ").append(seq).append("\"}");
        }

        client.post().uri(ReplicationPaths.APPEND)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"epoch\":5,\"prevSeq\":0,\"prevId\":0,\"entries\":[" + entries + "]}")
                .exchange()
                .expectStatus().isOk()
                .expectBody(AppendResponse.class).isEqualTo(new AppendResponse(40, 5));
        // a batch never splits; the next one rolls to a new segment past 1 KB
        client.post().uri(ReplicationPaths.APPEND)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"epoch\":5,\"prevSeq\":40,\"prevId\":400,\"entries\":"
                        + "[{\"seq\":41,\"id\":410,\"message\":\"m\"}]}")
                .exchange()
                .expectStatus().isOk()
                .expectBody(AppendResponse.class).isEqualTo(new AppendResponse(41, 5));

        assertThat(Files.readString(dataDir.resolve("epoch"), StandardCharsets.US_ASCII).trim()).isEqualTo("5");
        try (Stream<Path> segments = Files.list(dataDir.resolve("log"))) {
            assertThat(segments.map(path -> path.getFileName().toString()).filter(name -> name.endsWith(".log")))
                    .containsExactly("00000000000000000001.log", "00000000000000000041.log");
        }
        assertThat(store.readRecords(1, 100)).hasSize(41).extracting(LogRecord::epoch).containsOnly(5L);
        client.get().uri(ReplicationPaths.STATUS).exchange()
                .expectStatus().isOk()
                .expectBody().json("{\"ackedSeq\":41,\"lastId\":410,\"epoch\":5}");
        client.get().uri("/messages/41").exchange()
                .expectStatus().isOk()
                .expectBody().json("{\"seq\":41,\"id\":410,\"message\":\"m\"}", true);
    }
}
