package dev.replog.common.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

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
    void keysNameEntriesOfTheBatchAndHaveOneTo128Characters() {
        List<Entry> entries = List.of(new Entry(3, 30, "c"), new Entry(4, 31, "d"));
        AppendRequest keyed = new AppendRequest(1, 2, 20, entries, null, Map.of(4L, "order-42"));
        assertThat(keyed.keyAt(4)).isEqualTo("order-42");
        assertThat(keyed.keyAt(3)).as("no key").isEmpty();
        assertThat(new AppendRequest(1, 2, 20, entries).keys()).isEmpty();

        assertThatThrownBy(() -> new AppendRequest(1, 2, 20, entries, null, Map.of(2L, "k")))
                .hasMessageContaining("not in the batch");
        assertThatThrownBy(() -> new AppendRequest(1, 2, 20, entries, null, Map.of(5L, "k")))
                .hasMessageContaining("not in the batch");
        assertThatThrownBy(() -> new AppendRequest(1, 2, 20, entries, null, Map.of(3L, "")))
                .hasMessageContaining("1..128");
        assertThatThrownBy(() -> new AppendRequest(1, 2, 20, entries, null, Map.of(3L, "k".repeat(129))))
                .hasMessageContaining("1..128");
        Map<Long, String> nullKey = new HashMap<>();
        nullKey.put(3L, null);
        assertThatThrownBy(() -> new AppendRequest(1, 2, 20, entries, null, nullKey)).hasMessageContaining("1..128");
    }

    @Test
    void keysTravelAsAnObjectBySeqAndAreLeftOutWhenThereAreNone() {
        JsonMapper json = JsonMapper.shared();
        List<Entry> entries = List.of(new Entry(1, 10, "a"), new Entry(2, 11, "b"));
        AppendRequest keyed = new AppendRequest(1, 0, 0, entries, 2L, Map.of(2L, "order-42"));

        String text = json.writeValueAsString(keyed);
        assertThat(text).contains("\"keys\":{\"2\":\"order-42\"}");
        assertThat(json.readValue(text, AppendRequest.class)).isEqualTo(keyed);
        assertThat(json.writeValueAsString(new AppendRequest(1, 0, 0, entries, 2L))).doesNotContain("keys");
        assertThat(json.readValue("{\"epoch\":1,\"prevSeq\":0,\"prevId\":0,\"entries\":[]}", AppendRequest.class)
                .keys()).isEmpty();
    }

    @Test
    void anEntryWithAnUnpairedSurrogateIsRefusedAndPairsAreKept() {
        assertThatThrownBy(() -> new Entry(1, 1, "a\ud800")).hasMessageContaining("surrogate");
        assertThatThrownBy(() -> new Entry(1, 1, "\udc00a")).hasMessageContaining("surrogate");
        assertThat(new Entry(1, 1, "\ud83e\udd9c").message()).isEqualTo("🦜");
    }
}
