package dev.replog.client.tail;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TailCursorTest {

    @Test
    void onlyTheNextEntryIsDeliveredRepeatsAreDroppedAndAGapIsRefused() {
        TailCursor cursor = new TailCursor(4);

        assertThat(cursor.offer(3)).isEqualTo(TailCursor.Verdict.REPEAT);
        assertThat(cursor.offer(4)).isEqualTo(TailCursor.Verdict.REPEAT);
        assertThat(cursor.offer(6)).isEqualTo(TailCursor.Verdict.GAP);
        assertThat(cursor.last()).isEqualTo(4);
        assertThat(cursor.offer(5)).isEqualTo(TailCursor.Verdict.DELIVER);
        assertThat(cursor.offer(5)).isEqualTo(TailCursor.Verdict.REPEAT);
        assertThat(cursor.offer(6)).isEqualTo(TailCursor.Verdict.DELIVER);
        assertThat(cursor.last()).isEqualTo(6);
    }
}
