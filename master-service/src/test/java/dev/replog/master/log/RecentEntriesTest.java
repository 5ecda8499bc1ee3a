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
        RecentEntries recent = new RecentEntries(8, Long.MAX_VALUE);
        LongStream.rangeClosed(1, 20).mapToObj(RecentEntriesTest::entry).forEach(recent::put);

        assertThat(recent.range(13, 8).entries()).extracting(Entry::seq).containsExactly(13L, 14L, 15L, 16L, 17L, 18L, 19L, 20L);
        assertThat(recent.get(20)).isEqualTo(entry(20));
        assertThat(recent.get(12)).as("overwritten by seq 20").isNull();
        assertThat(recent.range(12, 3)).as("one miss makes the range a miss").isNull();
    }

    @Test
    void aSeqNotYetPutIsAMiss() {
        RecentEntries recent = new RecentEntries(8, Long.MAX_VALUE);
        recent.put(entry(1));

        assertThat(recent.get(2)).isNull();
        assertThat(recent.get(9)).as("same slot as seq 1").isNull();
        assertThat(recent.get(0)).isNull();
        assertThat(recent.range(1, 2)).isNull();
        assertThat(recent.range(1, 0).entries()).isEmpty();
    }

    @Test
    void aRangeCarriesTheKeysItsEntriesWereWrittenWith() {
        RecentEntries recent = new RecentEntries(8, Long.MAX_VALUE);
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
        RecentEntries recent = new RecentEntries(5, Long.MAX_VALUE);
        LongStream.rangeClosed(1, 8).mapToObj(RecentEntriesTest::entry).forEach(recent::put);

        assertThat(recent.range(1, 8).entries()).hasSize(8);
    }

    @Test
    void anEntryThatWouldPassTheCharBudgetIsNotHeldAndOverwrittenEntriesFreeTheirs() {
        RecentEntries recent = new RecentEntries(4, 10);
        recent.put(new Entry(1, 1, "12345"));
        recent.put(new Entry(2, 2, "1234"));
        recent.put(new Entry(3, 3, "12"));

        assertThat(recent.get(3)).as("5 + 4 + 2 chars would pass 10").isNull();
        assertThat(recent.range(1, 2).entries()).extracting(Entry::seq).containsExactly(1L, 2L);
        assertThat(recent.heldChars()).isEqualTo(9);

        recent.put(new Entry(4, 4, "1"));
        recent.put(new Entry(5, 5, "12345")); // seq 1's slot: its 5 chars go, these 5 fit
        assertThat(recent.range(4, 2).entries()).extracting(Entry::seq).containsExactly(4L, 5L);
        assertThat(recent.get(1)).isNull();
        assertThat(recent.heldChars()).as("seq 2, 4 and 5").isEqualTo(4 + 1 + 5);
    }
}
