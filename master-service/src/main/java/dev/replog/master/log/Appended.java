package dev.replog.master.log;

import dev.replog.common.protocol.Entry;

/**
 * The outcome of {@link MessageLog#append}: the entry, and whether it was appended now or found
 * under the same idempotency key (a replay, nothing appended).
 */
public record Appended(Entry entry, boolean replay) {
}
