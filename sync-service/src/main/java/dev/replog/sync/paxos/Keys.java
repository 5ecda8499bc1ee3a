package dev.replog.sync.paxos;

import java.util.regex.Pattern;

/**
 * Register keys: a kind ({@code seq} or {@code lock}), a dot and a user-chosen name
 * ({@code [a-z0-9._-]{1,64}}), for example {@code seq.master-epoch}. Keys double as file names.
 */
public final class Keys {

    /** The names clients may use for sequences and locks. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9._-]{1,64}");

    private static final Pattern KEY = Pattern.compile("(seq|lock)\\.[a-z0-9._-]{1,64}");

    private Keys() {
    }

    public static String sequence(String name) {
        return "seq." + name;
    }

    public static String lock(String name) {
        return "lock." + name;
    }

    public static boolean isValid(String key) {
        return key != null && KEY.matcher(key).matches();
    }

    static String requireValid(String key) {
        if (!isValid(key)) {
            throw new IllegalArgumentException("key must match " + KEY.pattern() + ", was " + key);
        }
        return key;
    }
}
