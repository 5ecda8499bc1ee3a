package dev.replog.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.replog.cluster.fixture.HttpResult;
import dev.replog.cluster.fixture.ReplogClient;
import java.io.File;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The default topology exactly as {@code docker compose up} starts it from the repository's
 * {@code docker-compose.yml} (images built from its one {@code Dockerfile}): a w=3 write is
 * acknowledged by all three nodes and every secondary serves it. Needs a Docker engine; skipped where there is none.
 */
@Testcontainers(disabledWithoutDocker = true)
@DisplayName("docker-compose.yml")
class ComposeIT {

    private static final String[] SECONDARIES = {"secondary", "faulty-secondary"};
    private static final Map<String, Integer> PORTS = Map.of("master", 8080, "secondary", 8081, "faulty-secondary", 8082);
    private static final Duration STARTUP = Duration.ofMinutes(10); // includes the Maven builds of the images

    @Container
    static final ComposeContainer COMPOSE = compose();

    private static ComposeContainer compose() {
        File file = Path.of(System.getProperty("replog.modules.dir", ".."), "docker-compose.yml").toFile();
        ComposeContainer compose = new ComposeContainer(file)
                .withBuild(true)
                .withRemoveVolumes(true)
                .withStartupTimeout(STARTUP);
        PORTS.forEach((service, port) -> compose.withExposedService(service, port,
                Wait.forHttp("/actuator/health").forStatusCode(200).withStartupTimeout(STARTUP)));
        return compose;
    }

    @Test
    @DisplayName("a w=3 write is acknowledged by three nodes and read back from every secondary")
    void aW3WriteIsReadFromEverySecondary() {
        ReplogClient master = client("master");
        await("master READ_WRITE with every secondary HEALTHY")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .untilAsserted(() -> {
                    assertThat(master.health().path("mode").asString("")).isEqualTo("READ_WRITE");
                    for (String name : SECONDARIES) {
                        assertThat(master.statusOf(name)).isEqualTo("HEALTHY");
                    }
                });

        HttpResult written = master.write("through compose", 3);
        assertThat(written.status()).as("POST /messages w=3: %s", written).isEqualTo(201);
        assertThat(written.json().path("acks").asInt()).isEqualTo(3);
        long seq = written.json().path("seq").asLong();

        for (String name : SECONDARIES) {
            HttpResult read = client(name).get("/messages/" + seq);
            assertThat(read.status()).as("GET /messages/%d on %s: %s", seq, name, read).isEqualTo(200);
            assertThat(read.json().path("message").asString()).isEqualTo("through compose");
            assertThat(read.json().path("id").asLong()).isEqualTo(written.json().path("id").asLong());
        }
    }

    private static ReplogClient client(String service) {
        int port = PORTS.get(service);
        return new ReplogClient(URI.create("http://" + COMPOSE.getServiceHost(service, port) + ":"
                + COMPOSE.getServicePort(service, port)));
    }
}
