package dev.replog.common.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WriteConcernTest {

    @ParameterizedTest(name = "w={0} in a cluster of {1} requires {2}")
    @CsvSource({"1,3,1", "3,3,3", "majority,3,2", "MAJORITY,5,3", "majority,1,1", "all,3,3", "all,1,1", "majority,4,3"})
    void theRequiredNodeCountFollowsTheClusterSize(String w, int n, int required) {
        assertThat(WriteConcern.parse(w).required(n)).isEqualTo(required);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "most", "1.5", "", "9999999999", "true"})
    void anythingElseIsRefused(String w) {
        assertThatThrownBy(() -> WriteConcern.parse(w)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 100})
    void aCountAboveTheClusterSizeIsRefused(int w) {
        assertThatThrownBy(() -> WriteConcern.nodes(w).required(3)).hasMessageContaining("n=3");
    }
}
