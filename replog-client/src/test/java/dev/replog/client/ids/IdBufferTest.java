package dev.replog.client.ids;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class IdBufferTest {

    @Test
    void theNextRangeIsFetchedOnceTheCurrentOneIsHalfUsedAndOnlyOnce() {
        IdBuffer buffer = new IdBuffer(10);
        assertThat(buffer.startFetch()).as("nothing at hand").isTrue();
        assertThat(buffer.startFetch()).as("one fetch at a time").isFalse();
        buffer.add(new IdRange("s", 1, 10));

        for (long id = 1; id <= 4; id++) {
            assertThat(buffer.take()).hasValue(id);
            assertThat(buffer.startFetch()).as("%d ids left", 10 - id).isFalse();
        }
        assertThat(buffer.take()).hasValue(5);
        assertThat(buffer.startFetch()).as("5 left: half used").isTrue();
        buffer.add(new IdRange("s", 31, 40));
        assertThat(buffer.startFetch()).as("a range is waiting ahead").isFalse();

        for (long id = 6; id <= 10; id++) {
            assertThat(buffer.take()).hasValue(id);
        }
        assertThat(buffer.take()).as("the range ahead follows, past the gap").hasValue(31);
    }

    @Test
    void rangesOfOneIdAreFetchedAheadAtOnce() {
        IdBuffer buffer = new IdBuffer(1);
        assertThat(buffer.startFetch()).isTrue();
        buffer.add(new IdRange("s", 1, 1));

        assertThat(buffer.startFetch()).isTrue();
        buffer.add(new IdRange("s", 2, 2));
        assertThat(buffer.take()).hasValue(1);
        assertThat(buffer.startFetch()).isFalse();
        assertThat(buffer.take()).hasValue(2);
        assertThat(buffer.take()).isEqualTo(OptionalLong.empty());
        assertThat(buffer.startFetch()).isTrue();
    }

    @Test
    void aRangeThatDoesNotFollowTheIdsHandedOutIsRefused() {
        IdBuffer buffer = new IdBuffer(5);
        buffer.startFetch();
        buffer.add(new IdRange("s", 6, 10));
        buffer.startFetch();

        assertThatThrownBy(() -> buffer.add(new IdRange("s", 10, 14))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aFailedFetchMayBeStartedAgain() {
        IdBuffer buffer = new IdBuffer(5);
        assertThat(buffer.startFetch()).isTrue();
        buffer.fetchFailed();

        assertThat(buffer.startFetch()).isTrue();
    }
}
