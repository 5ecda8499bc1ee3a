package dev.replog.master.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replog.common.protocol.Entry;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The idempotency keys a master remembers ({@link RememberedKeys}): those of the writes holding one
 * of the last entries of the log, told apart from other writes by fingerprint.
 */
class RememberedKeysTest {

    @Test
    void aWriteIsForgottenOnceNoneOfItsEntriesIsAmongTheLastOnes() {
        RememberedKeys keys = new RememberedKeys(5);
        keys.remember("a", entries(1, 3), fingerprint("a"));
        keys.remember("b", entries(4, 3), fingerprint("b"));
        keys.slideTo(6);
        assertThat(keys.get("a")).as("a's last entry, 3, is among the last 5, 2..6").isNotNull();

        keys.remember("c", entries(7, 2), fingerprint("c"));
        keys.slideTo(8);

        assertThat(keys.get("a")).as("the last 5 are 4..8").isNull();
        assertThat(keys.get("b")).isNotNull();
        assertThat(keys.size()).isEqualTo(2);
    }

    @Test
    void entriesWrittenWithoutAKeyCountAsMuchAsKeyedOnes() {
        RememberedKeys keys = new RememberedKeys(5);
        keys.remember("a", entries(1, 2), fingerprint("a"));

        keys.slideTo(6);
        assertThat(keys.get("a")).as("2 is among 2..6").isNotNull();
        keys.slideTo(7);
        assertThat(keys.get("a")).as("five entries without a key came after it").isNull();
    }

    @Test
    void aKeyWrittenAgainIsTheNewestWrite() {
        RememberedKeys keys = new RememberedKeys(4);
        keys.remember("a", entries(1, 2), fingerprint("a"));
        keys.remember("b", entries(3, 2), fingerprint("b"));
        keys.remember("a", entries(5, 2), fingerprint("a"));
        keys.remember("c", entries(7, 2), fingerprint("c"));

        keys.slideTo(8);

        assertThat(keys.get("a").first()).as("a's newer write is among the last 4 entries").isEqualTo(5);
        assertThat(keys.get("b")).isNull();
    }

    @Test
    void forgettingTheWritesAfterASeqKeepsTheOthers() {
        RememberedKeys keys = new RememberedKeys(10);
        keys.remember("kept", entries(1, 4), fingerprint("kept"));
        keys.remember("dropped", entries(5, 4), fingerprint("dropped"));

        keys.forgetAfter(6);

        assertThat(keys.get("dropped")).isNull();
        assertThat(keys.get("kept")).isNotNull();
        assertThat(keys.size()).isEqualTo(1);
    }

    @Test
    void theFingerprintTellsMessagesApartWhereverTheirBoundariesFall() {
        assertThat(RememberedKeys.fingerprint(List.of("ab", "c")))
                .isNotEqualTo(RememberedKeys.fingerprint(List.of("a", "bc")))
                .isNotEqualTo(RememberedKeys.fingerprint(List.of("abc")))
                .isEqualTo(RememberedKeys.fingerprint(List.of("ab", "c")));
        RememberedKeys.Write write = new RememberedKeys.Write(1, new long[] {11, 12},
                RememberedKeys.fingerprint(List.of("ab", "c")));
        assertThat(write.sameMessages(RememberedKeys.fingerprint(List.of("ab", "c")))).isTrue();
        assertThat(write.sameMessages(RememberedKeys.fingerprint(List.of("ab", "d")))).isFalse();
        assertThat(write.entries(List.of("ab", "c")))
                .containsExactly(new Entry(1, 11, "ab"), new Entry(2, 12, "c"));
    }

    private static List<Entry> entries(long first, int count) {
        return LongStream.range(first, first + count).mapToObj(seq -> new Entry(seq, 100 + seq, "m" + seq)).toList();
    }

    private static byte[] fingerprint(String message) {
        return RememberedKeys.fingerprint(List.of(message));
    }
}
