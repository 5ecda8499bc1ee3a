package dev.replog.secondary;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A test of a secondary that {@code @SpringBootTest(webEnvironment = RANDOM_PORT)} starts with a
 * fresh data dir per Spring context ({@link TestDataDirs}), reached over real HTTP with
 * {@link #client}; the subclass names its properties.
 */
public abstract class SecondaryWebTest {

    @TempDir
    static Path dataDirs;

    @DynamicPropertySource
    static void ownDataDir(DynamicPropertyRegistry registry) {
        TestDataDirs.register(registry, dataDirs);
    }

    @Autowired
    protected WebTestClient client;
}
