package dev.replog.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The kinds of node a test cluster runs, each an executable jar built by its module. */
enum NodeKind {
    MASTER("master-service"),
    SECONDARY("secondary-service"),
    FAULTY_SECONDARY("faulty-secondary"),
    /** A sync-service node (ids, epochs and locks by quorum); not a replica of the log. */
    SYNC("sync-service");

    private final String module;

    NodeKind(String module) {
        this.module = module;
    }

    /** The Maven module that builds this kind's jar, e.g. {@code master-service}. */
    String module() {
        return module;
    }

    /** A replica of the master's log (a secondary or a faulty-secondary). */
    boolean isReplica() {
        return this == SECONDARY || this == FAULTY_SECONDARY;
    }

    /**
     * The module's executable jar: {@code <modules dir>/<module>/target/<module>-<version>-exec.jar}.
     * Failsafe passes the modules dir and version ({@code replog.modules.dir}, {@code replog.version});
     * run from an IDE, the jar is looked up next to the working directory ({@code ../<module>/target}).
     */
    Path jar() {
        Path modules = Path.of(System.getProperty("replog.modules.dir",
                Path.of(System.getProperty("user.dir")).resolve("..").toString())).toAbsolutePath().normalize();
        Path target = modules.resolve(module).resolve("target");
        String version = System.getProperty("replog.version");
        if (version != null) {
            Path jar = target.resolve(module + "-" + version + "-exec.jar");
            if (Files.isRegularFile(jar)) {
                return jar;
            }
        }
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().endsWith("-exec.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no executable jar of " + module + " in " + target
                            + ": build it first (./mvnw -B package -DskipTests -pl " + module + " -am)"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + target + ": build " + module + " first", e);
        }
    }
}
