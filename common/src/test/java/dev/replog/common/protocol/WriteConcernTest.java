package dev.replog.common.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WriteConcernTest {

    @ParameterizedTest(name = "w={0} in a cluster of {1} requires {2}")
    @CsvSource({"1,3,1", "3,3,3", "majority,3,2", "majority,5,3", "majority,1,1", "all,3,3", "all,1,1", "majority,4,3"})
    void theRequiredNodeCountFollowsTheClusterSize(String w, int n, int required) {
        assertThat(WriteConcern.parse(w).required(n)).isEqualTo(required);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "most", "1.5", "", "9999999999", "true"})
    void anythingElseIsRefused(String w) {
        assertThatThrownBy(() -> WriteConcern.parse(w)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "\"{0}\" is refused, not corrected")
    @ValueSource(strings = {" 2", "2 ", "02", "+2", "majority ", " all", "MAJORITY", "All", "2\n"})
    void aPaddedOrOtherwiseNonCanonicalSpellingIsRefused(String w) {
        assertThatThrownBy(() -> WriteConcern.parse(w)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was \"" + w + "\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "2", "10", "999999999", "majority", "all"})
    void theTextualFormIsWhatToStringWrites(String w) {
        assertThat(WriteConcern.parse(w).toString()).isEqualTo(w);
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 100})
    void aCountAboveTheClusterSizeIsRefused(int w) {
        assertThatThrownBy(() -> WriteConcern.nodes(w).required(3)).hasMessageContaining("n=3");
    }
}
