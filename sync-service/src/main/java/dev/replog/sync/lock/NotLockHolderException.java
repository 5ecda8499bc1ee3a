package dev.replog.sync.lock;

import dev.replog.common.web.ReplogException;
import org.springframework.http.HttpStatus;

/** A release by someone who does not hold the lock under that token (or whose lease expired): 409. */
public class NotLockHolderException extends ReplogException {

    public NotLockHolderException(String detail) {
        super(HttpStatus.CONFLICT, "Not the lock holder", detail);
    }
}
