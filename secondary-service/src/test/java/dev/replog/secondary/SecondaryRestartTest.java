package dev.replog.secondary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.replog.common.log.CorruptLogException;
import dev.replog.common.log.FileLogStore;
import dev.replog.common.log.FsyncMode;
import dev.replog.common.protocol.AppendRequest;
import dev.replog.common.protocol.AppendResponse;
import dev.replog.common.protocol.Entry;
import dev.replog.common.protocol.ReplicationPaths;
import dev.replog.common.protocol.ReplicationStatus;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The real application stopped and started again on the same data directory, as an operator (or a
 * crash and a supervisor) would: the node comes back with its log, its watermark and its epoch.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecondaryRestartTest {

    private static final ParameterizedTypeReference<List<Entry>> ENTRIES = new ParameterizedTypeReference<>() { };

    @TempDir
    private Path dataDir;

    private ConfigurableApplicationContext node;

    @AfterEach
    void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    @ParameterizedTest(name = "fsync={0}")
    @ValueSource(strings = {"group", "always", "none"})
    void aRestartedSecondaryShowsItsLogReportsItsWatermarkAndRefusesAStaleMaster(String fsync) {
        WebTestClient client = start("--replog.storage.fsync=" + fsync);
        append(client, new AppendRequest(3, 0, 0, entries(1, 3))).expectStatus().isOk()
                .expectBody(AppendResponse.class).isEqualTo(new AppendResponse(3, 3));
        append(client, new AppendRequest(3, 3, 30, entries(4, 5))).expectStatus().isOk()
                .expectBody(AppendResponse.class).isEqualTo(new AppendResponse(5, 3));

        node.close();
        client = start("--replog.storage.fsync=" + fsync);

        assertThat(status(client)).isEqualTo(new ReplicationStatus("restarting", 5, 50, 3, 3));
        assertThat(client.get().uri("/messages").exchange().expectStatus().isOk()
                .expectBody(ENTRIES).returnResult().getResponseBody()).isEqualTo(entries(1, 5));
        append(client, new AppendRequest(2, 5, 50, entries(6, 6))).expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectBody().jsonPath("$.reason").isEqualTo("stale-epoch").jsonPath("$.ackedSeq").isEqualTo(5);
        append(client, new AppendRequest(3, 5, 50, entries(6, 6))).expectStatus().isOk()
                .expectBody(AppendResponse.class).isEqualTo(new AppendResponse(6, 3));
    }

    @Test
    void aDamagedSealedSegmentStopsTheNodeWithAClearError(CapturedOutput output) throws IOException {
        try (FileLogStore store = FileLogStore.open(dataDir.resolve("log"), FsyncMode.NONE, 64)) {
            for (long seq = 1; seq <= 4; seq++) {
                store.append(entries(seq, seq)).join();
            }
        }
        Path first;
        try (Stream<Path> files = Files.list(dataDir.resolve("log"))) {
            first = files.filter(path -> path.getFileName().toString().endsWith(".log")).sorted().findFirst()
                    .orElseThrow();
        }
        try (RandomAccessFile file = new RandomAccessFile(first.toFile(), "rw")) {
            long middle = file.length() / 2;
            file.seek(middle);
            int b = file.read();
            file.seek(middle);
            file.write(b ^ 0xFF);
        }

        assertThatThrownBy(() -> start())
                .hasRootCauseInstanceOf(CorruptLogException.class);
        assertThat(output).contains("Refusing to start").contains("corrupt log segment").contains(first.toString());
    }

    @Test
    void anUnknownFsyncModeStopsTheNodeWithAMessageNamingTheProperty() {
        assertThatThrownBy(() -> start("--replog.storage.fsync=bogus"))
                .rootCause().hasMessageContaining("replog.storage.fsync must be one of group, always, none");
        assertThat(dataDir.resolve("log")).doesNotExist();
    }

    private WebTestClient start(String... args) {
        List<String> all = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
                "--replog.node-name=restarting", "--replog.data-dir=" + dataDir,
                "--spring.reactor.netty.shutdown-quiet-period=0s"));
        all.addAll(List.of(args));
        node = new SpringApplicationBuilder(SecondaryApplication.class).run(all.toArray(String[]::new));
        int port = node.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build();
    }

    private static WebTestClient.ResponseSpec append(WebTestClient client, AppendRequest request) {
        return client.post().uri(ReplicationPaths.APPEND)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(request)
                .exchange();
    }

    private static ReplicationStatus status(WebTestClient client) {
        return client.get().uri(ReplicationPaths.STATUS).exchange()
                .expectStatus().isOk()
                .expectBody(ReplicationStatus.class).returnResult().getResponseBody();
    }

    private static List<Entry> entries(long from, long to) {
        List<Entry> entries = new ArrayList<>();
        for (long seq = from; seq <= to; seq++) {
            entries.add(new Entry(seq, seq * 10, "message " + seq));
        }
        return entries;
    }
}
