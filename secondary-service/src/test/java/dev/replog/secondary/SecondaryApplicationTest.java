package dev.replog.secondary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replog.common.log.FsyncMode;
import dev.replog.secondary.config.SecondaryProperties;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.unit.DataSize;

/** The secondary's identity defaults: port 8081, name "secondary", data in data/secondary. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.MOCK)
class SecondaryApplicationTest {

    @TempDir
    static Path dataDirs;

    @DynamicPropertySource
    static void ownDataDir(DynamicPropertyRegistry registry) {
        TestDataDirs.register(registry, dataDirs);
    }

    @Autowired
    private ConfigurableEnvironment environment;

    @Autowired
    private SecondaryProperties properties;

    @Test
    void theSecondaryListensOn8081AsSecondary() {
        assertThat(environment.getProperty("server.port")).isEqualTo("8081");
        assertThat(environment.getProperty("spring.application.name")).isEqualTo("replog-secondary");
        assertThat(properties.nodeName()).isEqualTo("secondary");
        // the default (this test gives the node a temporary directory instead)
        assertThat(defaultDataDir()).isEqualTo("data/secondary");
        assertThat(properties.dataDir()).startsWith(dataDirs);
        assertThat(properties.storage().fsyncMode()).isEqualTo(FsyncMode.GROUP);
        assertThat(properties.storage().segmentBytes()).isEqualTo(DataSize.ofMegabytes(64));
        assertThat(environment.getProperty("spring.http.codecs.max-in-memory-size")).isEqualTo("16MB");
    }

    /** {@code replog.data-dir} as application.yml sets it, resolved in this environment. */
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
