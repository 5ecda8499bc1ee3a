package dev.replog.common.web;

import org.springframework.http.HttpStatus;

/** An internal request without the cluster secret, or with a wrong one; nothing was changed. */
public class UnauthorizedException extends ReplogException {

    public UnauthorizedException(String detail) {
        super(HttpStatus.UNAUTHORIZED, "Unauthorized", detail);
    }
}
