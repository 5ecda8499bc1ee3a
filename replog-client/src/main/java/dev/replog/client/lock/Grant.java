package dev.replog.client.lock;

import java.time.Instant;

/** A sync node's answer to an acquire: the lease it granted or renewed. */
record Grant(String name, String owner, long token, Instant expiresAt) {
}
