package dev.replog.common.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.replog.common.protocol.Entry;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class InMemoryLogStoreTest {

    @Test
    void aReadEndsBeforeTheRecordThatWouldPassItsByteBudgetAndHoldsAtLeastOne() {
        InMemoryLogStore store = new InMemoryLogStore();
        List<Entry> all = new ArrayList<>();
        for (int seq = 1; seq <= 10; seq++) {
            all.add(new Entry(seq, seq, "x".repeat(1000)));
        }
        store.append(all).join();

        assertThat(store.read(1, 10, 10)).as("the first record, however large").containsExactly(all.get(0));
        assertThat(store.read(2, 10, 4_500)).containsExactlyElementsOf(all.subList(1, 5));
        assertThat(store.read(2, 10, 5_000)).as("exactly the budget").containsExactlyElementsOf(all.subList(1, 6));
        assertThat(store.read(9, 10, 1 << 20)).containsExactlyElementsOf(all.subList(8, 10));
    }


    @Property(tries = 200)
    void readsReturnExactlyTheAppendedEntriesInOrder(@ForAll @Size(max = 20) List<@IntRange(min = 1, max = 7) Integer> batchSizes,
            @ForAll @IntRange(min = 0, max = 200) int from, @ForAll @IntRange(min = 0, max = 50) int limit) {
        InMemoryLogStore store = new InMemoryLogStore();
        List<Entry> all = new ArrayList<>();
        for (int size : batchSizes) {
            List<Entry> batch = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                long seq = all.size() + batch.size() + 1L;
                batch.add(new Entry(seq, seq * 10, "m" + seq));
            }
            assertThat(store.append(batch).join()).isEqualTo(all.size() + size);
            all.addAll(batch);
        }
        assertThat(store.lastSeq()).isEqualTo(all.size());
        assertThat(store.durableSeq()).isEqualTo(all.size());
        int start = Math.max(from, 1);
        List<Entry> expected = start > all.size() ? List.of()
                : all.subList(start - 1, Math.min(all.size(), start - 1 + limit));
        assertThat(store.read(from, limit)).containsExactlyElementsOf(expected);
    }

    @Property(tries = 50)
    void truncateKeepsExactlyThePrefix(@ForAll @IntRange(min = 0, max = 30) int size, @ForAll @IntRange(min = 0, max = 40) int keep) {
        InMemoryLogStore store = new InMemoryLogStore();
        List<Entry> all = new ArrayList<>();
        for (long seq = 1; seq <= size; seq++) {
            all.add(new Entry(seq, seq, "m"));
        }
        store.append(all).join();
        store.truncateAfter(keep);
        assertThat(store.lastSeq()).isEqualTo(Math.min(size, keep));
        assertThat(store.read(1, 100)).containsExactlyElementsOf(all.subList(0, Math.min(size, keep)));
    }

    @Test
    void anAppendThatDoesNotContinueTheLogChangesNothing() {
        InMemoryLogStore store = new InMemoryLogStore();
        store.append(List.of(new Entry(1, 1, "a"))).join();
        assertThatThrownBy(() -> store.append(List.of(new Entry(3, 3, "c")))).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.lastSeq()).isEqualTo(1);
        assertThat(store.idAt(1)).isEqualTo(1);
        assertThat(store.idAt(0)).isZero();
    }
}
