package dev.replog.secondary;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A test of a secondary (or of the faulty-secondary, whose tests take this class from this module's
 * test jar) that {@code @SpringBootTest} starts with a fresh data dir per Spring context
 * ({@link TestDataDirs}) under {@link #dataDirs}, reached with {@link #client}: over real HTTP with
 * {@code webEnvironment = RANDOM_PORT}, or in-process with {@code MOCK}. The subclass names its
 * properties.
 */
public abstract class SecondaryWebTest {

    @TempDir
    protected static Path dataDirs;

    @DynamicPropertySource
    static void ownDataDir(DynamicPropertyRegistry registry) {
        TestDataDirs.register(registry, dataDirs);
    }

    @Autowired
    protected WebTestClient client;
}
