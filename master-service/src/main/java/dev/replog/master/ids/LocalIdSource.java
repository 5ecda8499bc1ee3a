package dev.replog.master.ids;

import dev.replog.master.datadir.DurableCounter;

import dev.replog.common.log.AppendFailedException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ids from a durable local counter, reserved a range at a time: the counter file holds the
 * highest id reserved so far, so a restart resumes above every id ever handed out (the rest of
 * the range becomes a gap). Used when no sync-service is configured ({@code replog.sync.nodes} empty);
 * {@link SyncIdSource} takes ranges decided by the sync cluster's quorum instead.
 */
final class LocalIdSource implements IdSource {

    private static final Logger log = LoggerFactory.getLogger(LocalIdSource.class);

    private final DurableCounter reserved;
    private final int rangeSize;
    private volatile long next;

    LocalIdSource(Path file, int rangeSize) {
        this.reserved = new DurableCounter(file);
        this.rangeSize = rangeSize;
        this.next = reserved.value() + 1;
    }

    @Override
    public long next() {
        if (next > reserved.value()) {
            long upper;
            try {
                upper = reserved.advance(next - 1 - reserved.value() + rangeSize);
            } catch (UncheckedIOException refused) {
                // no id without a durable reservation: the write that needed it is refused as a
                // write the disk refused (507 when it is full), and nothing of it is appended
                throw new AppendFailedException("reserving permanent ids from " + next + " failed, nothing was "
                        + "appended: " + refused.getCause(), refused.getCause());
            }
            log.info("Reserved permanent ids {}..{}", next, upper);
        }
        return next++;
    }

    @Override
    public String source() {
        return "local";
    }

    @Override
    public long remaining() {
        return Math.max(0, reserved.value() - next + 1);
    }

    @Override
    public void advancePast(long id) {
        if (id >= next) {
            log.info("Ids continue above {} found in the recovered log", id);
            next = id + 1;
        }
    }
}
