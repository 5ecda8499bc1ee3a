package dev.replog.common.web;

import org.springframework.http.HttpStatus;

/** The addressed resource (an entry, for example) does not exist. */
public class NotFoundException extends ReplogException {

    public NotFoundException(String detail) {
        super(HttpStatus.NOT_FOUND, "Not found", detail);
    }
}
