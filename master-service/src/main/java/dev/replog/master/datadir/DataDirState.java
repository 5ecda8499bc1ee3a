package dev.replog.master.datadir;

import dev.replog.common.io.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 *
 * <p>A log is not the master's own either when another master has led since this data dir last
 * took an epoch (a secondary follows a higher epoch than any it took, or the sync cluster handed
 * epochs to someone else since): that master may have had
 * writes acknowledged that this log lacks, and entries of this log that it never saw are gone from
 * the cluster. {@link #distrust} leaves the same marker for that, so a restart in the middle of the
 * recovery that follows does not trust the log again; the epochs taken are kept in
 * {@value #TAKEN_EPOCH} (written before the secondaries are fenced with them).
 */
public final class DataDirState {

    private static final Logger log = LoggerFactory.getLogger(DataDirState.class);
    /** Present from a start with no state until that start's recovery completed. */
    static final String RECOVERY_PENDING = "recovery-pending";
    /** The highest epoch this data dir took, to fence the secondaries with and to lead with. */
    static final String TAKEN_EPOCH = "taken-epoch";

    private volatile boolean hadState;
    private final Path marker;
    private final DurableCounter takenEpoch;
    /** The local epoch counter's value at start ({@code epoch}, without the sync cluster): epochs taken before. */
    private final long localEpoch;

    private DataDirState(boolean hadState, Path marker, DurableCounter takenEpoch, long localEpoch) {
        this.hadState = hadState;
        this.marker = marker;
        this.takenEpoch = takenEpoch;
        this.localEpoch = localEpoch;
    }

    /**
     * Looks at {@code dataDir} before anything writes a record into its log; with no state of its
     * own, leaves the marker (durably) until {@link #recovered()}. State means records: a log
     * directory that holds none (its segments deleted, only the lock file left) is no state, and
     * neither is an epoch counter alone (an empty log vouches for nothing the cluster holds).
     *
     * @param logRecords the records the log holds (its last seq)
     */
    public static DataDirState inspect(Path dataDir, long logRecords) {
        Path marker = dataDir.resolve(RECOVERY_PENDING);
        DurableCounter takenEpoch = new DurableCounter(dataDir.resolve(TAKEN_EPOCH));
        long localEpoch = new DurableCounter(dataDir.resolve("epoch")).value();
        if (Files.exists(marker)) {
            log.warn("Data dir {}: a recovery from no state (a new master, or a lost disk) did not complete before "
                    + "the last stop; this master will again not accept writes before it has heard from every "
                    + "secondary (or a quorum with no history)", dataDir.toAbsolutePath());
            return new DataDirState(false, marker, takenEpoch, localEpoch);
        }
        boolean hadState = logRecords > 0;
        if (!hadState) {
            log.warn("Data dir {} holds no log records: this master is new or lost its disk; it will not accept "
                    + "writes before it has heard from every secondary (or a quorum with no history)",
                    dataDir.toAbsolutePath());
            createDurably(marker);
        }
        return new DataDirState(hadState, marker, takenEpoch, localEpoch);
    }

    /**
     * Whether the data dir's log held records of this master's own at start, and it has not been
     * {@link #distrust distrusted} since.
     */
    public boolean hadState() {
        return hadState;
    }

    /**
     * The highest epoch this data dir took ({@link #tookEpoch}, or its local epoch counter's); 0 if
     * none was recorded.
     */
    public long takenEpoch() {
        return Math.max(takenEpoch.value(), localEpoch);
    }

    /** Records {@code epoch}, taken by this master, durably. Blocking file I/O. */
    public void tookEpoch(long epoch) {
        synchronized (takenEpoch) {
            if (epoch > takenEpoch.value()) {
                takenEpoch.advance(epoch - takenEpoch.value());
            }
        }
    }

    /**
     * The log is not this master's own state (another master has led since): from now on, and
     * after a restart until a recovery completed, it is treated as no state. Blocking file I/O.
     */
    public void distrust() {
        createDurably(marker);
        hadState = false;
    }

    /** Recovery completed: from now on the log is this master's own state. Blocking file I/O. */
    public void recovered() {
        try {
            DurableFiles.deleteIfExists(marker);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + marker, e);
        }
    }

    private static void createDurably(Path marker) {
        try {
            Files.createDirectories(marker.toAbsolutePath().getParent());
            DurableFiles.createEmpty(marker);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + marker, e);
        }
    }
}
