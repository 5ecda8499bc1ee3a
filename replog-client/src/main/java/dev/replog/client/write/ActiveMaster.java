package dev.replog.client.write;

import java.net.URI;

/**
 * The active master as a node's {@code GET /health} shows it.
 *
 * @param url   the master's base URL
 * @param epoch its epoch, -1 when not shown
 * @param mode  READ_WRITE, READ_ONLY or RECOVERING as the master itself says
 */
public record ActiveMaster(URI url, long epoch, String mode) {

    /** True when the master takes writes. */
    public boolean writable() {
        return "READ_WRITE".equals(mode);
    }
}
