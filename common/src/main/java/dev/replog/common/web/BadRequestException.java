package dev.replog.common.web;

import org.springframework.http.HttpStatus;

/** The request is malformed or out of range; nothing was changed. */
public class BadRequestException extends ReplogException {

    public BadRequestException(String detail) {
        super(HttpStatus.BAD_REQUEST, "Bad request", detail);
    }
}
