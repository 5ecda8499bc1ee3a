package dev.replog.master.log;

import dev.replog.common.web.ReplogException;
import org.springframework.http.HttpStatus;

/** No permanent id can be handed out now, so nothing was written. */
public class IdsUnavailableException extends ReplogException {

    public IdsUnavailableException(String detail) {
        super(HttpStatus.SERVICE_UNAVAILABLE, "No permanent ids", detail);
    }
}
