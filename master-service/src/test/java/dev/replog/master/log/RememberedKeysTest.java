package dev.replog.master.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replog.common.protocol.Entry;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The idempotency keys a master remembers ({@link RememberedKeys}): bounded by entries, told apart by fingerprint. */
class RememberedKeysTest {

    @Test
    void aWriteIsForgottenOnlyOnceTheWritesAfterItHoldTheBoundOfEntries() {
        RememberedKeys keys = new RememberedKeys(5);
        keys.remember("a", entries(1, 3), fingerprint("a"));
        keys.remember("b", entries(4, 3), fingerprint("b"));
        assertThat(keys.get("a")).as("b holds 3 of the last 5 entries, a the 2 before").isNotNull();

        keys.remember("c", entries(7, 2), fingerprint("c"));

        assertThat(keys.get("a")).as("b and c hold the last 5").isNull();
        assertThat(keys.size()).isEqualTo(2);
        assertThat(keys.entries()).isEqualTo(5);
    }

    @Test
    void aKeyWrittenAgainIsTheNewestWrite() {
        RememberedKeys keys = new RememberedKeys(4);
        keys.remember("a", entries(1, 2), fingerprint("a"));
        keys.remember("b", entries(3, 2), fingerprint("b"));
        keys.remember("a", entries(5, 2), fingerprint("a"));

        keys.remember("c", entries(7, 2), fingerprint("c"));

        assertThat(keys.get("a").first()).as("a's newer write is among the last 4 entries").isEqualTo(5);
        assertThat(keys.get("b")).isNull();
        assertThat(keys.entries()).isEqualTo(4);
    }

    @Test
    void forgettingTheWritesAfterASeqGivesBackTheirEntries() {
        RememberedKeys keys = new RememberedKeys(10);
        keys.remember("kept", entries(1, 4), fingerprint("kept"));
        keys.remember("dropped", entries(5, 4), fingerprint("dropped"));

        keys.forgetAfter(6);

        assertThat(keys.get("dropped")).isNull();
        assertThat(keys.get("kept")).isNotNull();
        assertThat(keys.entries()).isEqualTo(4);
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
