package dev.replog.client.producer;

/** Checks that a message can be appended, before it joins a batch whose fate it would share. */
final class Messages {

    private Messages() {
    }

    /**
     * The length of {@code message} in UTF-8, counted without encoding it, or {@code -1 - index} of
     * its first unpaired UTF-16 surrogate, which has no UTF-8 form.
     */
    static long utf8Length(String message) {
        long bytes = 0;
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < message.length()
                    && Character.isLowSurrogate(message.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                return -1L - i;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** Why {@code message}, of {@code utf8Length} as {@link #utf8Length} counts it, cannot be appended, or null when it can. */
    static String invalid(String message, long utf8Length, long maxBytes) {
        if (message == null) {
            return "message is required";
        }
        if (utf8Length < 0) {
            return "message holds an unpaired UTF-16 surrogate at index " + (-1L - utf8Length)
                    + ", which has no UTF-8 form";
        }
        return utf8Length > maxBytes ? "message has " + utf8Length + " UTF-8 bytes, more than " + maxBytes : null;
    }
}
