package dev.replog.secondary;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A fresh data directory for every Spring context a test class starts: the file store locks its
 * directory, and a test expects its own log, so no two contexts (cached or dirtied) share one.
 */
public final class TestDataDirs {

    private TestDataDirs() {
    }

    /**
     * Sets {@code replog.data-dir} to a new directory under {@code base} (a static {@code @TempDir});
     * call it from a {@code @DynamicPropertySource} method, which runs once per context.
     */
    public static Path register(DynamicPropertyRegistry registry, Path base) {
        Path dir;
        try {
            dir = Files.createTempDirectory(base, "node-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        registry.add("replog.data-dir", dir::toString);
        return dir;
    }
}
