package dev.replog.master.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the master found in its data dir at start: whether its log is state of its own.
 *
 * <p>A master that starts with no log and no epoch (new, or its disk was lost) must not trust its
 * own empty log until a recovery has heard every secondary. Its log store creates the log's files
 * at once, so a restart in the middle of that recovery would find "a log" and settle for a quorum
 * that may miss acknowledged writes; a marker file, durable before anything else is written and
 * removed once such a recovery completed, says the log is not yet the master's own.
 */
public final class DataDirState {

    private static final Logger log = LoggerFactory.getLogger(DataDirState.class);
    /** Present from a start with no state until that start's recovery completed. */
    static final String RECOVERY_PENDING = "recovery-pending";

    private final boolean hadState;
    private final Path marker;

    private DataDirState(boolean hadState, Path marker) {
        this.hadState = hadState;
        this.marker = marker;
    }

    /**
     * Looks at {@code dataDir} before anything writes into it; with no state of its own, leaves the
     * marker (durably) until {@link #recovered()}.
     */
    public static DataDirState inspect(Path dataDir) {
        Path marker = dataDir.resolve(RECOVERY_PENDING);
        if (Files.exists(marker)) {
            log.warn("Data dir {}: a recovery from no state (a new master, or a lost disk) did not complete before "
                    + "the last stop; this master will again not accept writes before it has heard from every "
                    + "secondary (or a quorum with no history)", dataDir.toAbsolutePath());
            return new DataDirState(false, marker);
        }
        boolean hadState = Files.exists(dataDir.resolve("epoch")) || Files.exists(dataDir.resolve("log"));
        if (!hadState) {
            log.warn("Data dir {} holds no state: this master is new or lost its disk; it will not accept "
                    + "writes before it has heard from every secondary (or a quorum with no history)",
                    dataDir.toAbsolutePath());
            createDurably(marker);
        }
        return new DataDirState(hadState, marker);
    }

    /** Whether the data dir held a log or an epoch of this master's own at start. */
    public boolean hadState() {
        return hadState;
    }

    /** Recovery completed: from now on the log is this master's own state. Blocking file I/O. */
    public void recovered() {
        try {
            if (Files.deleteIfExists(marker)) {
                DurableCounter.fsyncDirectory(marker.toAbsolutePath().getParent());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + marker, e);
        }
    }

    private static void createDurably(Path marker) {
        try {
            Path dir = marker.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            try (FileChannel channel = FileChannel.open(marker, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            DurableCounter.fsyncDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + marker, e);
        }
    }
}
