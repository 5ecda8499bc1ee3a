package dev.replog.client.error;

/**
 * No node gave a usable answer before the deadline: connections refused or dropped, timeouts, or
 * {@code 5xx} answers the client does not know. Indefinite when any attempt may have reached a
 * master before its connection failed.
 */
public class UnavailableException extends ReplogException {

    public UnavailableException(int status, String title, String detail, boolean indefinite, Throwable cause) {
        super(status, title, detail, indefinite, cause);
    }
}
