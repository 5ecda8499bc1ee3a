package dev.replog.common.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The cluster-wide settings every node shares ({@code replog.cluster.*}); each service binds them
 * as the {@code cluster} member of its own properties record.
 *
 * <p>{@link #toString()} never shows the secret, so a logged properties record cannot leak it.
 *
 * @param secret the shared secret internal requests carry in {@value #SECRET_HEADER}; unset or
 *               blank leaves the internal endpoints open. Visible ASCII only (it travels in an
 *               HTTP header), no spaces.
 */
public record ClusterSettings(String secret) {

    /** The header internal requests carry the secret in. */
    public static final String SECRET_HEADER = "X-Replog-Secret";

    public ClusterSettings {
        if (secret != null && secret.isBlank()) {
            secret = null;
        }
        if (secret != null && !secret.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            // the message must not echo the value: it ends up in the start-up failure report
            throw new IllegalArgumentException("replog.cluster.secret must be visible ASCII without spaces "
                    + "(it is sent in the " + SECRET_HEADER + " header)");
        }
    }

    /** True when a secret is set, so internal endpoints refuse requests without it. */
    public boolean secured() {
        return secret != null;
    }

    /**
     * True when {@code presented} is the secret, or when no secret is set. The comparison takes the
     * same time wherever the two differ and whatever their lengths (it compares SHA-256 digests with
     * {@link MessageDigest#isEqual}), so timing reveals nothing of the secret.
     */
    public boolean admits(String presented) {
        if (!secured()) {
            return true;
        }
        if (presented == null) {
            return false;
        }
        return MessageDigest.isEqual(sha256(secret), sha256(presented));
    }

    @Override
    public String toString() {
        return "ClusterSettings[secret=" + (secured() ? "******" : "unset") + "]";
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
