package dev.replog.common.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The heartbeat's body as both sides read and write it: a status from a secondary that does not
 * report {@code lastEpoch} yet reads as 0 ("not known"), and {@code waitingFor} appears only while
 * the node waits.
 */
class ReplicationStatusTest {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void aStatusWithoutLastEpochReadsAsEpochNotKnown() {
        ReplicationStatus status = json.readValue("{\"name\":\"s1\",\"ackedSeq\":4,\"lastId\":40,\"epoch\":3}",
                ReplicationStatus.class);
        assertThat(status).isEqualTo(new ReplicationStatus("s1", 4, 40, 3, 0));
    }

    @Test
    void waitingForIsWrittenOnlyWhileTheNodeWaits() {
        assertThat(json.writeValueAsString(new ReplicationStatus("s1", 4, 40, 3, 2)))
                .isEqualTo("{\"name\":\"s1\",\"ackedSeq\":4,\"lastId\":40,\"epoch\":3,\"lastEpoch\":2}");
        ReplicationStatus waiting = new ReplicationStatus("s1", 0, 0, 0, 0, "the newest epoch");
        assertThat(json.readValue(json.writeValueAsString(waiting), ReplicationStatus.class)).isEqualTo(waiting);
    }
}
