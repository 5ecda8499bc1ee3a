package dev.replog.common.text;

/**
 * The UTF-8 size of text, counted without encoding it, and the one check of whether text has a
 * UTF-8 form at all.
 *
 * <p>Sizes are those of {@link String#getBytes(java.nio.charset.Charset) getBytes(UTF_8)}: one byte
 * for a UTF-16 unit below {@code U+0080}, two below {@code U+0800}, four for a surrogate pair (one
 * code point) and three for any other unit. An unpaired surrogate counts one byte, the {@code '?'}
 * the encoder puts in its place; text that must round-trip refuses it first
 * ({@link #unpairedSurrogate}).
 */
public final class Utf8 {

    private Utf8() {
    }

    /** The number of bytes {@code text} takes in UTF-8. */
    public static long byteLength(String text) {
        return countUpTo(text, Long.MAX_VALUE);
    }

    /**
     * Whether {@code text} takes more than {@code limit} bytes in UTF-8, counting no further than
     * needed: not at all when its length alone decides.
     */
    public static boolean longerThan(String text, long limit) {
        if (text.length() > limit) {
            return true; // every UTF-16 unit takes at least one byte
        }
        if (text.length() * 3L <= limit) {
            return false; // and at most three (a pair takes four for its two units)
        }
        return countUpTo(text, limit) > limit;
    }

    /**
     * The index of the first surrogate in {@code text} that is not half of a pair, or -1. Such a
     * string (JSON allows {@code "\ud800"}) has no UTF-8 form: it could be stored only altered.
     */
    public static int unpairedSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (isPairAt(text, i)) {
                i++;
            } else if (Character.isSurrogate(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** The UTF-8 bytes of {@code text}, counted until they pass {@code limit} or the text ends. */
    private static long countUpTo(String text, long limit) {
        long bytes = 0;
        for (int i = 0; i < text.length() && bytes <= limit; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (isPairAt(text, i)) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes += 1; // the encoder writes '?'
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private static boolean isPairAt(String text, int i) {
        return Character.isHighSurrogate(text.charAt(i)) && i + 1 < text.length()
                && Character.isLowSurrogate(text.charAt(i + 1));
    }
}
