package dev.replog.common.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AppendRequestTest {

    @Test
    void aBatchOfConsecutiveEntriesAfterItsPredecessorIsValid() {
        AppendRequest request = new AppendRequest(1, 2, 20, List.of(new Entry(3, 30, "c"), new Entry(4, 31, "d")));
        assertThat(request.lastSeq()).isEqualTo(4);
    }

    @Test
    void entriesThatSkipASeqAreRefused() {
        assertThatThrownBy(() -> new AppendRequest(1, 0, 0, List.of(new Entry(1, 1, "a"), new Entry(3, 3, "c"))))
                .hasMessageContaining("consecutive");
    }

    @Test
    void entriesThatDoNotStartRightAfterPrevSeqAreRefused() {
        assertThatThrownBy(() -> new AppendRequest(1, 1, 1, List.of(new Entry(1, 2, "a"))))
                .hasMessageContaining("consecutive");
    }

    @Test
    void idsThatDoNotIncreaseAreRefused() {
        assertThatThrownBy(() -> new AppendRequest(1, 1, 5, List.of(new Entry(2, 5, "a"))))
                .hasMessageContaining("ids");
    }

    @Test
    void aZeroEpochOrHalfEmptyPredecessorIsRefused() {
        assertThatThrownBy(() -> new AppendRequest(0, 0, 0, List.of())).hasMessageContaining("epoch");
        assertThatThrownBy(() -> new AppendRequest(1, 1, 0, List.of())).hasMessageContaining("prevSeq");
    }

    @Test
    void anEntryWithAnUnpairedSurrogateIsRefusedAndPairsAreKept() {
        assertThatThrownBy(() -> new Entry(1, 1, "a\ud800")).hasMessageContaining("surrogate");
        assertThatThrownBy(() -> new Entry(1, 1, "\udc00a")).hasMessageContaining("surrogate");
        assertThat(new Entry(1, 1, "\ud83e\udd9c").message()).isEqualTo("🦜");
        assertThat(Entry.unpairedSurrogate("ok \ud83e\udd9c \ud800")).isEqualTo(6);
    }
}
