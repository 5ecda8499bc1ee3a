package dev.replog.faulty;

import dev.replog.common.protocol.ReplicationPaths;
import dev.replog.common.web.ClusterSettings;
import dev.replog.secondary.SecondaryWebTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The faulty-secondary guards {@code /replication/**} with the cluster secret like the secondary,
 * and checks it before any fault: an outsider gets 401 even while the node plays {@code down},
 * and learns nothing of its faults; {@code /faults} itself stays public.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.MOCK, properties = "replog.faults.down=true")
@AutoConfigureWebTestClient
class ClusterSecretTest extends SecondaryWebTest {

    static final String SECRET = "faulty-secret-" + UUID.randomUUID();

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("replog.cluster.secret", () -> SECRET);
    }

    @Test
    void anOutsiderGets401BeforeAnyFaultAndTheClusterGetsTheFault() {
        String batch = "{\"epoch\":1,\"prevSeq\":0,\"prevId\":0,\"entries\":[{\"seq\":1,\"id\":1,\"message\":\"m\"}]}";
        client.post().uri(ReplicationPaths.APPEND).contentType(MediaType.APPLICATION_JSON).bodyValue(batch)
                .exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.title").isEqualTo("Unauthorized").jsonPath("$.fault").doesNotExist();
        client.get().uri(ReplicationPaths.STATUS).header(ClusterSettings.SECRET_HEADER, SECRET).exchange()
                .expectStatus().isEqualTo(503)
                .expectBody().jsonPath("$.fault").isEqualTo("down");
        client.get().uri("/faults").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.down").isEqualTo(true);
    }
}
