package dev.replog.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * How a node kind's JVM is started: from its executable jar extracted by Spring Boot's
 * {@code jarmode=tools}, with an AppCDS archive of the classes a start loads.
 *
 * <p>Why: the suite starts a hundred-odd node JVMs, several at once on two cores, and a start from
 * the nested executable jar costs about 7-8 s of CPU. From the extracted jar it costs about 5 s,
 * and with the class-data archive about 3.5 s. Each kind's image is made once per build (and kept
 * in {@code target/node-images} while its jar does not change): the jar is extracted, then one
 * training run ({@code -Dspring.context.exit=onRefresh}: the context is built, no server starts)
 * writes the archive with {@code -XX:ArchiveClassesAtExit}. The first request prepares every kind
 * at once, in parallel, since every cluster runs several kinds.
 */
final class NodeImage {

    private static final long TRAINING_TIMEOUT_SECONDS = 180;
    private static final Map<NodeKind, FutureTask<NodeImage>> IMAGES = new ConcurrentHashMap<>();

    private final Path jar;
    private final Path archive;

    private NodeImage(Path jar, Path archive) {
        this.jar = jar;
        this.archive = archive;
    }

    /** The java command line up to the application's arguments, with the given JVM options. */
    List<String> javaCommand(List<String> jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(jvmOptions);
        command.add("-XX:SharedArchiveFile=" + archive);
        command.add("-jar");
        command.add(jar.toString());
        return command;
    }

    /** The image of a kind, made on first use (with every other kind's, in parallel). */
    static NodeImage of(NodeKind kind) {
        Arrays.stream(NodeKind.values()).forEach(each ->
                IMAGES.computeIfAbsent(each, k -> {
                    FutureTask<NodeImage> task = new FutureTask<>(() -> prepare(k));
                    Thread thread = new Thread(task, "node-image-" + k.module());
                    thread.setDaemon(true);
                    thread.start();
                    return task;
                }));
        try {
            return IMAGES.get(kind).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing the image of " + kind.module(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot prepare the image of " + kind.module(), e.getCause());
        }
    }

    private static NodeImage prepare(NodeKind kind) throws IOException, InterruptedException {
        Path executableJar = kind.jar();
        Path dir = ReplogCluster.targetDir().resolve("node-images").resolve(kind.module());
        Path jar = dir.resolve(executableJar.getFileName());
        Path archive = dir.resolve("classes.jsa");
        Path stampFile = dir.resolve("stamp");
        String stamp = executableJar + " " + Files.size(executableJar) + " "
                + Files.getLastModifiedTime(executableJar).toMillis() + " " + javaExecutable() + " "
                + Runtime.version() + " " + NodeProcess.JVM_OPTS;
        if (Files.isRegularFile(archive) && Files.isRegularFile(stampFile)
                && Files.readString(stampFile, StandardCharsets.UTF_8).equals(stamp)) {
            return new NodeImage(jar, archive);
        }
        Directories.deleteRecursively(dir);
        Files.createDirectories(dir);
        run(dir.resolve("extract.log"), List.of(javaExecutable(), "-Djarmode=tools", "-jar", executableJar.toString(),
                "extract", "--destination", dir.toString(), "--force"));
        List<String> training = new ArrayList<>();
        training.add(javaExecutable());
        training.addAll(NodeProcess.JVM_OPTS);
        training.addAll(List.of("-XX:ArchiveClassesAtExit=" + archive, "-Dspring.context.exit=onRefresh",
                "-jar", jar.toString(), "--server.port=0", "--server.address=127.0.0.1",
                "--replog.node-name=training", "--replog.data-dir=" + dir.resolve("training-data")));
        run(dir.resolve("training.log"), training);
        if (!Files.isRegularFile(archive)) {
            throw new IllegalStateException("the training run of " + kind.module() + " wrote no archive; see "
                    + dir.resolve("training.log"));
        }
        Directories.deleteRecursively(dir.resolve("training-data"));
        Files.writeString(stampFile, stamp, StandardCharsets.UTF_8);
        return new NodeImage(jar, archive);
    }

    private static void run(Path log, List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!process.waitFor(TRAINING_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("timed out after " + TRAINING_TIMEOUT_SECONDS + " s: "
                    + String.join(" ", command) + "; see " + log);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("exit " + process.exitValue() + ": " + String.join(" ", command)
                    + "; see " + log);
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
