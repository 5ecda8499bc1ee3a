package dev.replog.master.log;

import dev.replog.common.protocol.Entry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The idempotency keys of the writes that hold one of the last {@code maxEntries} entries of the
 * log (keyed or not), each with what a retry of its write is answered with: the write's first seq,
 * its ids, and a SHA-256 fingerprint of its messages that tells a retry (the same messages) from
 * another write under the same key. No message is held: the memory is bounded by entries (an id
 * each) whatever their size, so a producer's keyed batches of a thousand 1 MiB messages cost what
 * single appends do.
 *
 * <p>A write is forgotten once the log has {@code maxEntries} entries after its last one
 * ({@link #slideTo}), so a batch that straddles the start of the last {@code maxEntries} entries is
 * remembered whole, and a running master remembers the keys a restart reloads. Not thread-safe: the
 * log's writer thread only.
 */
final class RememberedKeys {

    /** Cloned for each fingerprint: no provider lookup per request (the first lookup may read files). */
    private static final MessageDigest SHA_256 = sha256();

    private final int maxEntries;
    /** In log order, eldest first: a key written again moves to the end with its new entries. */
    private final LinkedHashMap<String, Write> writes = new LinkedHashMap<>();

    RememberedKeys(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be >= 1, was " + maxEntries);
        }
        this.maxEntries = maxEntries;
    }

    /** The write remembered under {@code key}, or null. */
    Write get(String key) {
        return writes.get(key);
    }

    /**
     * Remembers {@code written}, the newest entries of the log, written under {@code key} with
     * messages of {@code fingerprint}.
     */
    void remember(String key, List<Entry> written, byte[] fingerprint) {
        long[] ids = new long[written.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = written.get(i).id();
        }
        // removed first: a key written again is the newest write, not the place it once had
        writes.remove(key);
        writes.put(key, new Write(written.get(0).seq(), ids, fingerprint));
    }

    /**
     * Forgets the writes that hold none of the last {@code maxEntries} entries of a log whose last
     * entry is {@code lastSeq}; entries written without a key count as much as keyed ones.
     */
    void slideTo(long lastSeq) {
        long firstKept = lastSeq - maxEntries + 1;
        Iterator<Write> eldest = writes.values().iterator();
        while (eldest.hasNext() && eldest.next().last() < firstKept) {
            eldest.remove();
        }
    }

    /** Forgets every write that holds an entry after {@code seq} (recovery dropped them). */
    void forgetAfter(long seq) {
        writes.values().removeIf(write -> write.last() > seq);
    }

    /** Keys remembered. */
    int size() {
        return writes.size();
    }

    /**
     * The SHA-256 of {@code messages}, each as its UTF-8 length and bytes, so that no two different
     * lists of messages share the same byte stream.
     */
    static byte[] fingerprint(List<String> messages) {
        MessageDigest digest = copyOf(SHA_256);
        byte[] length = new byte[4];
        for (String message : messages) {
            byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
            int n = bytes.length;
            length[0] = (byte) (n >>> 24);
            length[1] = (byte) (n >>> 16);
            length[2] = (byte) (n >>> 8);
            length[3] = (byte) n;
            digest.update(length);
            digest.update(bytes);
        }
        return digest.digest();
    }

    private static MessageDigest copyOf(MessageDigest prototype) {
        try {
            return (MessageDigest) prototype.clone();
        } catch (CloneNotSupportedException e) {
            return sha256();
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /**
     * A remembered write: entries {@code first..first+ids.length-1}.
     *
     * @param first       the seq of its first entry
     * @param ids         the id of each entry, in order
     * @param fingerprint {@link #fingerprint} of its messages
     */
    record Write(long first, long[] ids, byte[] fingerprint) {

        long last() {
            return first + ids.length - 1;
        }

        /** True when {@code otherFingerprint} is this write's: a retry of it, not another write. */
        boolean sameMessages(byte[] otherFingerprint) {
            return MessageDigest.isEqual(fingerprint, otherFingerprint);
        }

        /** This write's entries, with {@code messages}: those of a retry, which are its own. */
        List<Entry> entries(List<String> messages) {
            List<Entry> entries = new ArrayList<>(ids.length);
            for (int i = 0; i < ids.length; i++) {
                entries.add(new Entry(first + i, ids[i], messages.get(i)));
            }
            return entries;
        }
    }

}
