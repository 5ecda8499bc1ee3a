package dev.replog.master.ids;

import dev.replog.common.web.ReplogException;
import org.springframework.http.HttpStatus;

/** No permanent id can be handed out now, so nothing was written. */
public class IdsUnavailableException extends ReplogException {

    private final boolean retryable;

    public IdsUnavailableException(String detail) {
        this(detail, false);
    }

    /**
     * @param retryable true when the write may wait for ids ({@link IdSource#awaitAvailable()}) and try
     *                  again; false when that wait is already over
     */
    public IdsUnavailableException(String detail, boolean retryable) {
        super(HttpStatus.SERVICE_UNAVAILABLE, "No permanent ids", detail);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
