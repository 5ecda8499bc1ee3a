package dev.replog.master.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replog.common.protocol.Entry;
import dev.replog.common.protocol.KeyedEntries;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class RecentEntriesTest {

    private static Entry entry(long seq) {
        return new Entry(seq, 1000 + seq, "m" + seq);
    }

    @Test
    void holdsTheLastCapacityEntriesAndMissesTheOverwrittenOnes() {
        RecentEntries recent = new RecentEntries(8);
        LongStream.rangeClosed(1, 20).mapToObj(RecentEntriesTest::entry).forEach(recent::put);

        assertThat(recent.range(13, 8).entries()).extracting(Entry::seq).containsExactly(13L, 14L, 15L, 16L, 17L, 18L, 19L, 20L);
        assertThat(recent.get(20)).isEqualTo(entry(20));
        assertThat(recent.get(12)).as("overwritten by seq 20").isNull();
        assertThat(recent.range(12, 3)).as("one miss makes the range a miss").isNull();
    }

    @Test
    void aSeqNotYetPutIsAMiss() {
        RecentEntries recent = new RecentEntries(8);
        recent.put(entry(1));

        assertThat(recent.get(2)).isNull();
        assertThat(recent.get(9)).as("same slot as seq 1").isNull();
        assertThat(recent.get(0)).isNull();
        assertThat(recent.range(1, 2)).isNull();
        assertThat(recent.range(1, 0).entries()).isEmpty();
    }

    @Test
    void aRangeCarriesTheKeysItsEntriesWereWrittenWith() {
        RecentEntries recent = new RecentEntries(8);
        recent.put(entry(1), "order-1");
        recent.put(entry(2));
        recent.put(entry(3), "");
        recent.put(entry(4), "batch-4");
        recent.put(entry(5), "batch-4");

        KeyedEntries range = recent.range(1, 5);
        assertThat(range.entries()).extracting(Entry::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(range.keys()).containsExactlyInAnyOrderEntriesOf(Map.of(1L, "order-1", 4L, "batch-4", 5L, "batch-4"));
        assertThat(recent.get(4)).isEqualTo(entry(4));
        assertThat(recent.range(2, 2).keys()).isEmpty();
    }

    @Test
    void capacityRoundsUpToAPowerOfTwo() {
        RecentEntries recent = new RecentEntries(5);
        LongStream.rangeClosed(1, 8).mapToObj(RecentEntriesTest::entry).forEach(recent::put);

        assertThat(recent.range(1, 8).entries()).hasSize(8);
    }
}
