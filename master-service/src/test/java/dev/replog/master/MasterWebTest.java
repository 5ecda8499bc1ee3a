package dev.replog.master;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A test of a master that {@code @SpringBootTest(webEnvironment = RANDOM_PORT)} starts on a fresh
 * data dir, reached over real HTTP with {@link #web}; the subclass names its properties.
 */
public abstract class MasterWebTest {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("replog.data-dir", () -> dataDir.toString());
    }

    @Autowired
    protected WebTestClient web;
}
