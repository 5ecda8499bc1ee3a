package dev.replog.common.log;

import dev.replog.common.text.Utf8;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The on-disk record format, little more than a frame around the {@link LogRecord} fields.
 *
 * <pre>
 * frame   = length:int32  crc:int32  payload            (big-endian)
 * payload = seq:int64  id:int64  epoch:int64
 *           keyLength:uint16  key:UTF-8[keyLength]
 *           messageLength:int32  message:UTF-8[messageLength]
 * </pre>
 *
 * {@code length} counts the payload bytes and {@code crc} is the CRC32C of the payload. A frame is
 * valid only if its length is plausible, its CRC matches and the two inner lengths add up to exactly
 * {@code length}, so a damaged length field is caught even where the CRC would not see it.
 */
final class RecordCodec {

    /** {@code length} and {@code crc}. */
    static final int HEADER_BYTES = 8;
    /** seq, id, epoch, keyLength, messageLength. */
    static final int FIXED_PAYLOAD_BYTES = 8 + 8 + 8 + 2 + 4;
    static final int MIN_FRAME_BYTES = HEADER_BYTES + FIXED_PAYLOAD_BYTES;
    /** Larger length fields are garbage (a torn tail, or corruption): no record is ever this big. */
    static final int MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;
    static final int MAX_KEY_BYTES = 0xFFFF;

    private static final int KEY_LENGTH_AT = 24;

    private RecordCodec() {
    }

    /** A record with its strings already encoded, so that the frame size is known before writing. */
    record Encoded(LogRecord record, byte[] key, byte[] message) {

        int frameBytes() {
            return MIN_FRAME_BYTES + key.length + message.length;
        }
    }

    static Encoded encode(LogRecord record) {
        byte[] key = utf8(record.idempotencyKey(), "idempotency key", record.seq());
        byte[] message = utf8(record.message(), "message", record.seq());
        if (key.length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("idempotency key of seq " + record.seq() + " is " + key.length
                    + " UTF-8 bytes, at most " + MAX_KEY_BYTES + " fit a record");
        }
        if ((long) FIXED_PAYLOAD_BYTES + key.length + message.length > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("message of seq " + record.seq() + " is " + message.length
                    + " UTF-8 bytes, more than a record holds (" + MAX_PAYLOAD_BYTES + " bytes in all)");
        }
        return new Encoded(record, key, message);
    }

    /** The frame size of a record, as {@link #write} lays it out. */
    static int frameBytes(LogRecord record) {
        return encode(record).frameBytes();
    }

    /** Writes one frame at the buffer's position and advances it. */
    static void write(Encoded encoded, ByteBuffer dst) {
        LogRecord r = encoded.record();
        int start = dst.position();
        int payloadStart = start + HEADER_BYTES;
        dst.putInt(encoded.frameBytes() - HEADER_BYTES);
        dst.putInt(0); // the CRC, once the payload is in place
        dst.putLong(r.seq());
        dst.putLong(r.id());
        dst.putLong(r.epoch());
        dst.putShort((short) encoded.key().length);
        dst.put(encoded.key());
        dst.putInt(encoded.message().length);
        dst.put(encoded.message());
        int end = dst.position();
        dst.putInt(start + 4, crc(dst, payloadStart, end - payloadStart));
    }

    /**
     * Why the frame at {@code at} is not a valid record with seq {@code expectedSeq}, or {@code null}
     * when it is. {@code available} is how many bytes from {@code at} the buffer (and the file) hold.
     */
    static String problem(ByteBuffer buf, int at, long available, long expectedSeq) {
        if (available < HEADER_BYTES) {
            return "incomplete record header (" + available + " bytes)";
        }
        int length = buf.getInt(at);
        if (length < FIXED_PAYLOAD_BYTES || length > MAX_PAYLOAD_BYTES) {
            return "impossible record length " + length;
        }
        if (length > available - HEADER_BYTES) {
            return "record length " + length + " runs past the end of the file ("
                    + (available - HEADER_BYTES) + " payload bytes left)";
        }
        return payloadProblem(buf, at, length, expectedSeq);
    }

    /** Like {@link #problem} for a frame whose length is already known to fit in the buffer. */
    static String payloadProblem(ByteBuffer buf, int at, int length, long expectedSeq) {
        int payload = at + HEADER_BYTES;
        int stored = buf.getInt(at + 4);
        int actual = crc(buf, payload, length);
        if (stored != actual) {
            return "CRC32C mismatch (stored " + Integer.toHexString(stored) + ", computed "
                    + Integer.toHexString(actual) + ")";
        }
        int keyLength = Short.toUnsignedInt(buf.getShort(payload + KEY_LENGTH_AT));
        long messageAt = (long) KEY_LENGTH_AT + 2 + keyLength;
        if (messageAt + 4 > length) {
            return "key length " + keyLength + " does not fit record length " + length;
        }
        int messageLength = buf.getInt(payload + (int) messageAt);
        if (messageLength < 0 || messageAt + 4 + messageLength != length) {
            return "key length " + keyLength + " and message length " + messageLength
                    + " do not add up to record length " + length;
        }
        long seq = buf.getLong(payload);
        if (seq != expectedSeq) {
            return "record holds seq " + seq + " where seq " + expectedSeq + " belongs";
        }
        return null;
    }

    /** Decodes a frame that {@link #payloadProblem} found valid. */
    static LogRecord decode(ByteBuffer buf, int at) {
        int payload = at + HEADER_BYTES;
        long seq = buf.getLong(payload);
        long id = buf.getLong(payload + 8);
        long epoch = buf.getLong(payload + 16);
        int keyLength = Short.toUnsignedInt(buf.getShort(payload + KEY_LENGTH_AT));
        int keyAt = payload + KEY_LENGTH_AT + 2;
        int messageLength = buf.getInt(keyAt + keyLength);
        return new LogRecord(seq, id, epoch, string(buf, keyAt, keyLength), string(buf, keyAt + keyLength + 4, messageLength));
    }

    private static String string(ByteBuffer buf, int at, int length) {
        if (length == 0) {
            return "";
        }
        if (buf.hasArray()) {
            return new String(buf.array(), buf.arrayOffset() + at, length, StandardCharsets.UTF_8);
        }
        byte[] bytes = new byte[length];
        buf.get(at, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static int crc(ByteBuffer buf, int at, int length) {
        CRC32C crc = new CRC32C();
        crc.update(buf.duplicate().limit(at + length).position(at));
        return (int) crc.getValue();
    }

    /**
     * UTF-8 that decodes back to the same string: {@link String#getBytes} would silently turn an
     * unpaired surrogate into {@code '?'}, and a store must never hand back other text than it took.
     */
    private static byte[] utf8(String text, String what, long seq) {
        int surrogate = Utf8.unpairedSurrogate(text);
        if (surrogate >= 0) {
            throw new IllegalArgumentException(what + " of seq " + seq
                    + " is not valid Unicode: unpaired surrogate at index " + surrogate);
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
