package dev.replog.sync.paxos;

import dev.replog.common.io.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One file per key under {@code <data-dir>/paxos/}, named {@code <key>.json}: each save
 * {@link DurableFiles#replace replaces} the file whole, so after any crash a key's file holds either
 * its old or its new state, never a torn one. Each file carries a CRC32C of its state; a file that
 * cannot be read or whose checksum does not match stops the node from starting (it must never vote
 * from a state it does not have).
 *
 * <p>The file {@code MEMBER} records that the node has been a voting member: a data directory
 * without it belongs to a node that must first find out whether it has to re-join. The file
 * {@code FLOOR} holds the generation floor ({@code <counter> <nodeId>}), written the same way.
 */
public final class FileAcceptorStore implements AcceptorStore {

    private static final Logger log = LoggerFactory.getLogger(FileAcceptorStore.class);

    private static final String SUFFIX = ".json";
    private static final String MEMBER = "MEMBER";
    private static final String FLOOR = "FLOOR";

    private final Path dir;
    private final JsonMapper json;

    public FileAcceptorStore(Path dataDir, JsonMapper json) {
        this.dir = dataDir.resolve("paxos").toAbsolutePath();
        this.json = json;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    public Path directory() {
        return dir;
    }

    @Override
    public Map<String, AcceptorState> loadAll() {
        Map<String, AcceptorState> states = new HashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.endsWith(DurableFiles.TEMP_SUFFIX)) {
                    Files.deleteIfExists(file); // a save that crashed before its rename: never took effect
                } else if (name.endsWith(SUFFIX)) {
                    String key = name.substring(0, name.length() - SUFFIX.length());
                    states.put(key, read(file, key));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list acceptor state in " + dir + "; refusing to start", e);
        }
        return states;
    }

    private AcceptorState read(Path file, String key) {
        try {
            JsonNode root = json.readTree(Files.readAllBytes(file));
            JsonNode state = root.required("state");
            long crc = root.required("crc32c").asLong();
            if (crc != crc(json.writeValueAsBytes(state))) {
                throw new IllegalStateException("checksum mismatch");
            }
            AcceptorState parsed = json.treeToValue(state, AcceptorState.class);
            if (!key.equals(root.required("key").asString()) || parsed == null) {
                throw new IllegalStateException("file holds another key");
            }
            return parsed;
        } catch (RuntimeException | IOException e) {
            throw new IllegalStateException("Acceptor state file " + file + " is unreadable (" + e.getMessage()
                    + "); refusing to start rather than vote without it. Restore it, or remove the whole "
                    + dir + " directory so that this node re-joins from its peers.", e);
        }
    }

    @Override
    public void save(String key, AcceptorState state) {
        Keys.requireValid(key);
        ObjectNode root = json.createObjectNode();
        JsonNode stateNode = json.valueToTree(state);
        root.put("key", key);
        root.put("crc32c", crc(json.writeValueAsBytes(stateNode)));
        root.set("state", stateNode);
        writeDurably(dir.resolve(key + SUFFIX), json.writeValueAsBytes(root));
    }

    @Override
    public boolean isMember() {
        return Files.exists(dir.resolve(MEMBER));
    }

    @Override
    public void markMember() {
        writeDurably(dir.resolve(MEMBER), "voting member\n".getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public Ballot floor() {
        Path file = dir.resolve(FLOOR);
        if (!Files.exists(file)) {
            return Ballot.ZERO;
        }
        try {
            String[] parts = Files.readString(file, StandardCharsets.US_ASCII).trim().split(" ");
            return new Ballot(Long.parseLong(parts[0]), Integer.parseInt(parts[1]));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("Generation floor " + file + " is unreadable (" + e.getMessage()
                    + "); refusing to start rather than vote below it. Restore it, or remove the whole " + dir
                    + " directory so that this node re-joins from its peers.", e);
        }
    }

    @Override
    public void saveFloor(Ballot floor) {
        writeDurably(dir.resolve(FLOOR),
                (floor.counter() + " " + floor.nodeId() + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    private void writeDurably(Path file, byte[] bytes) {
        try {
            DurableFiles.replace(file, bytes);
        } catch (IOException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            log.error("Cannot persist {} ({}): the old state stays in force and this node does not vote on it "
                    + "until it can write again", file, reason);
            throw new AcceptorStorageException(reason);
        }
    }

    private static long crc(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return crc.getValue();
    }
}
