package dev.replog.client.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WriteConcernTest {

    @Test
    void aWriteConcernIsSentAsTheMasterReadsIt() {
        assertThat(WriteConcern.of(2).wireValue()).isEqualTo(2);
        assertThat(WriteConcern.MAJORITY.wireValue()).isEqualTo("majority");
        assertThat(WriteConcern.ALL.wireValue()).isEqualTo("all");
    }

    @Test
    void parseTakesWhatQueryParametersTake() {
        assertThat(WriteConcern.parse("Majority")).isEqualTo(WriteConcern.MAJORITY);
        assertThat(WriteConcern.parse("all")).isEqualTo(WriteConcern.ALL);
        assertThat(WriteConcern.parse("3")).isEqualTo(WriteConcern.of(3));
        assertThatThrownBy(() -> WriteConcern.parse("most")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WriteConcern.of(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
