package dev.replog.common.web;

import org.springframework.http.HttpStatus;

/** The body or the message is larger than the node accepts; nothing was changed. */
public class PayloadTooLargeException extends ReplogException {

    public PayloadTooLargeException(String detail) {
        super(HttpStatus.PAYLOAD_TOO_LARGE, "Payload too large", detail);
    }
}
