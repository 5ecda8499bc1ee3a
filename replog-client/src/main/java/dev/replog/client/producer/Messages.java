package dev.replog.client.producer;

import java.nio.charset.StandardCharsets;

/** Checks that a message can be appended, before it joins a batch whose fate it would share. */
final class Messages {

    private Messages() {
    }

    /** Why {@code message} cannot be appended, or null when it can. */
    static String invalid(String message, long maxBytes) {
        if (message == null) {
            return "message is required";
        }
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < message.length() && Character.isLowSurrogate(message.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "message holds an unpaired UTF-16 surrogate at index " + i + ", which has no UTF-8 form";
            }
        }
        long bytes = message.getBytes(StandardCharsets.UTF_8).length;
        return bytes > maxBytes ? "message has " + bytes + " UTF-8 bytes, more than " + maxBytes : null;
    }
}
