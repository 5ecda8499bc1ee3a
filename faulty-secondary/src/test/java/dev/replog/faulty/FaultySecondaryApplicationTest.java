package dev.replog.faulty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replog.secondary.SecondaryApplication;
import dev.replog.secondary.SecondaryWebTest;
import dev.replog.secondary.config.SecondaryProperties;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

/**
 * The faulty-secondary keeps its own identity although the secondary's jar (with its own
 * application settings) is on the class path, and honours faults given as start-up properties.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.MOCK, properties = {
        "replog.faults.error-before-append=0.1",
        "replog.faults.error-after-append=0.25",
        "replog.faults.delay-ms=5",
        "replog.faults.delay-jitter-ms=7",
        "replog.faults.down=true"})
@AutoConfigureWebTestClient
class FaultySecondaryApplicationTest extends SecondaryWebTest {

    @Autowired
    private ConfigurableEnvironment environment;

    @Autowired
    private SecondaryProperties properties;

    @Autowired
    private ApplicationContext context;

    @Test
    void itListensOn8082AsFaultySecondary() {
        assertThat(environment.getProperty("server.port")).isEqualTo("8082");
        assertThat(environment.getProperty("spring.application.name")).isEqualTo("replog-faulty-secondary");
        assertThat(properties.nodeName()).isEqualTo("faulty-secondary");
        // the default (this test gives the node a temporary directory instead)
        assertThat(defaultDataDir()).isEqualTo("data/faulty-secondary");
        assertThat(properties.dataDir()).startsWith(dataDirs);
        assertThat(context.getBeansOfType(SecondaryApplication.class)).isEmpty();
    }

    @Test
    void itRunsWithTheSecondarysSharedSettings() {
        assertThat(environment.getProperty("spring.http.codecs.max-in-memory-size")).isEqualTo("16MB");
        assertThat(environment.getProperty("management.endpoints.web.exposure.include"))
                .isEqualTo("health,info,prometheus,metrics");
    }

    @Test
    void actuatorInfoTellsItsOwnBuildNotTheSecondarys() {
        client.get().uri("/actuator/info").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.build.version").isNotEmpty()
                .jsonPath("$.build.artifact").isEqualTo("faulty-secondary");
    }

    @Test
    void faultsGivenAtStartUpAreInForce() {
        client.get().uri("/faults").exchange()
                .expectStatus().isOk()
                .expectBody(FaultSettings.class).isEqualTo(new FaultSettings(0.1, 0.25, 5, 7, true));
        client.get().uri("/replication/status").exchange().expectStatus().isEqualTo(503);
    }

    /** {@code replog.data-dir} as the shared application.yml sets it, resolved in this environment. */
    private String defaultDataDir() {
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (source.getName().contains("application.yml")) {
                Object value = source.getProperty("replog.data-dir");
                if (value != null) {
                    return environment.resolvePlaceholders(value.toString());
                }
            }
        }
        throw new AssertionError("application.yml does not set replog.data-dir");
    }
}
