package dev.replog.common.log;

import java.io.IOException;

/**
 * An append the disk refused (out of space, a file-size limit, an interrupted write): the store cut
 * the segment back, so nothing of it was appended, and it takes later appends as before. Also what
 * a node throws when the disk refuses a small file an append needs first (an id reservation, a new
 * epoch): nothing of that append was written either.
 */
public final class AppendFailedException extends LogWriteException {

    private static final long serialVersionUID = 1L;

    public AppendFailedException(String message, IOException cause) {
        super(message, cause);
    }
}
