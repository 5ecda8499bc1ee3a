package dev.replog.common.text;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class Utf8Test {

    private static final String ASCII = "abc";
    private static final String TWO_BYTES = "é";
    private static final String THREE_BYTES = "€";
    private static final String PAIR = "\ud83d\ude00"; // 😀, one code point
    private static final String LONE_HIGH = "\ud800";
    private static final String LONE_LOW = "\udc00";

    @Test
    void asciiTakesOneBytePerCharacter() {
        assertThat(Utf8.byteLength("")).isZero();
        assertThat(Utf8.byteLength(ASCII)).isEqualTo(3);
    }

    @Test
    void charactersBelowU0800TakeTwoBytesAndTheRestOfTheBasicPlaneThree() {
        assertThat(Utf8.byteLength(TWO_BYTES)).isEqualTo(2);
        assertThat(Utf8.byteLength(THREE_BYTES)).isEqualTo(3);
        assertThat(Utf8.byteLength("a" + TWO_BYTES + THREE_BYTES)).isEqualTo(6);
    }

    @Test
    void aSurrogatePairIsOneCodePointOfFourBytes() {
        assertThat(Utf8.byteLength(PAIR)).isEqualTo(4);
        assertThat(Utf8.byteLength(PAIR + PAIR)).isEqualTo(8);
    }

    @Test
    void aLoneSurrogateCountsTheOneByteTheEncoderReplacesItWith() {
        assertThat(Utf8.byteLength(LONE_HIGH)).isEqualTo(1);
        assertThat(Utf8.byteLength(LONE_LOW + "a")).isEqualTo(2);
        assertThat(Utf8.byteLength(LONE_HIGH + LONE_HIGH + PAIR)).isEqualTo(6);
        assertThat(Utf8.byteLength(PAIR.substring(0, 1) + "a")).isEqualTo(2);
    }

    @Test
    void theLengthIsAlwaysWhatTheEncoderProduces() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int n = 0; n < 2000; n++) {
            StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(12); i > 0; i--) {
                text.append(switch (random.nextInt(6)) {
                    case 0 -> (char) random.nextInt(0x80);
                    case 1 -> (char) random.nextInt(0x80, 0x800);
                    case 2 -> (char) random.nextInt(0x800, 0xD800);
                    case 3 -> (char) random.nextInt(0xD800, 0xE000); // any surrogate, paired or not
                    case 4 -> (char) random.nextInt(0xE000, 0x10000);
                    default -> PAIR;
                });
            }
            String s = text.toString();
            long encoded = s.getBytes(UTF_8).length;
            assertThat(Utf8.byteLength(s)).as("%s", s.chars().mapToObj(Integer::toHexString).toList())
                    .isEqualTo(encoded);
            assertThat(Utf8.longerThan(s, encoded)).isFalse();
            assertThat(Utf8.longerThan(s, encoded - 1)).isTrue();
        }
    }

    @Test
    void longerThanIsFalseAtTheLimitAndTrueOneByteOver() {
        assertThat(Utf8.longerThan("abcd", 4)).isFalse();
        assertThat(Utf8.longerThan("abcde", 4)).isTrue();
        assertThat(Utf8.longerThan(THREE_BYTES + THREE_BYTES, 6)).isFalse();
        assertThat(Utf8.longerThan(THREE_BYTES + THREE_BYTES, 5)).isTrue();
        assertThat(Utf8.longerThan(PAIR, 4)).isFalse();
        assertThat(Utf8.longerThan(PAIR, 3)).isTrue();
        assertThat(Utf8.longerThan(PAIR + PAIR, 7)).isTrue();
        assertThat(Utf8.longerThan("", 0)).isFalse();
        assertThat(Utf8.longerThan("a", 0)).isTrue();
    }

    @Test
    void aLongTextIsDecidedAtItsExactSize() {
        String text = TWO_BYTES.repeat(1_000_000);
        assertThat(Utf8.longerThan(text, 1_999_999)).isTrue();
        assertThat(Utf8.longerThan(text, 2_000_000)).isFalse();
        assertThat(Utf8.longerThan(text, 1_000_000)).isTrue();
    }

    @Test
    void unpairedSurrogateFindsTheFirstSurrogateWithoutItsHalfAndKeepsPairs() {
        assertThat(Utf8.unpairedSurrogate("ok " + PAIR + " " + LONE_HIGH)).isEqualTo(6);
        assertThat(Utf8.unpairedSurrogate(LONE_LOW + "a")).isZero();
        assertThat(Utf8.unpairedSurrogate("a" + LONE_HIGH)).isEqualTo(1);
        assertThat(Utf8.unpairedSurrogate(LONE_HIGH + LONE_HIGH + LONE_LOW)).isZero();
        assertThat(Utf8.unpairedSurrogate(PAIR + PAIR + THREE_BYTES)).isEqualTo(-1);
    }
}
