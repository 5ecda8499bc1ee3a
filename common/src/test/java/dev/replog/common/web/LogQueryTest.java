package dev.replog.common.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replog.common.log.InMemoryLogStore;
import dev.replog.common.protocol.Entry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pages of GET /messages stop at their byte budget; a recovering master's keyed reads at the budget
 * it asks for, and only then (a master that asks for none reads pages of {@code limit} entries).
 */
class LogQueryTest {

    private static final int MIB = 1 << 20;

    @Test
    void pagesOfMessagesOfOneMebibyteHoldWhatTheirByteBudgetsAllow() {
        InMemoryLogStore store = new InMemoryLogStore();
        List<Entry> entries = new ArrayList<>();
        for (int seq = 1; seq <= 20; seq++) {
            entries.add(new Entry(seq, seq, "x".repeat(MIB)));
        }
        store.append(entries).join();

        assertThat(LogQuery.page(store, null, null)).as("8 MiB").hasSize(8);
        assertThat(LogQuery.page(store, "9", "3")).extracting(Entry::seq).containsExactly(9L, 10L, 11L);
        assertThat(LogQuery.keyedPage(store, "2", null, String.valueOf(LogQuery.KEYED_PAGE_BYTES)).entries())
                .as("one entry over the budget still comes alone").extracting(Entry::seq).containsExactly(2L);
        assertThat(LogQuery.keyedPage(store, "2", "12", "3000000").entries()).extracting(Entry::seq)
                .containsExactly(2L, 3L);
        assertThat(LogQuery.keyedPage(store, "2", "12", null).entries())
                .as("a reader that asks for no budget (a master before byte budgets) gets limit entries").hasSize(12);
    }

    @Test
    void pagesOfSmallMessagesHoldLimitEntries() {
        InMemoryLogStore store = new InMemoryLogStore();
        List<Entry> entries = new ArrayList<>();
        for (int seq = 1; seq <= 12_000; seq++) {
            entries.add(new Entry(seq, seq, "a message of a hundred bytes".repeat(4)));
        }
        store.append(entries).join();

        assertThat(LogQuery.page(store, null, null)).hasSize(LogQuery.MAX_LIMIT);
        assertThat(LogQuery.keyedPage(store, "1", "1000", String.valueOf(LogQuery.KEYED_PAGE_BYTES)).entries())
                .hasSize(1000);
    }
}
