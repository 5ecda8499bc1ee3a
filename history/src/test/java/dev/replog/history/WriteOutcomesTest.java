package dev.replog.history;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("What an answer to a write proves")
class WriteOutcomesTest {

    @Test
    @DisplayName("2xx is ok; 4xx, a redirect to the active master and a 503 said before appending are definite; 504, other 5xx and other 503s are not")
    void classifiesAnswers() {
        assertThat(WriteOutcomes.ofAnswer(201, null)).isEqualTo(Op.Type.OK);
        assertThat(WriteOutcomes.ofAnswer(200, null)).isEqualTo(Op.Type.OK);
        assertThat(WriteOutcomes.ofAnswer(400, "Bad Request")).isEqualTo(Op.Type.FAIL);
        assertThat(WriteOutcomes.ofAnswer(413, null)).isEqualTo(Op.Type.FAIL);
        assertThat(WriteOutcomes.ofAnswer(503, "Read-only")).isEqualTo(Op.Type.FAIL);
        assertThat(WriteOutcomes.ofAnswer(503, "Recovering")).isEqualTo(Op.Type.FAIL);
        assertThat(WriteOutcomes.ofAnswer(503, "No permanent ids")).isEqualTo(Op.Type.FAIL);
        assertThat(WriteOutcomes.ofAnswer(503, "No master")).isEqualTo(Op.Type.FAIL);
        assertThat(WriteOutcomes.ofAnswer(307, "Not the active master")).isEqualTo(Op.Type.FAIL);
        assertThat(WriteOutcomes.ofAnswer(503, "Service Unavailable")).isEqualTo(Op.Type.INFO);
        assertThat(WriteOutcomes.ofAnswer(503, null)).isEqualTo(Op.Type.INFO);
        assertThat(WriteOutcomes.ofAnswer(504, "Write concern timeout")).isEqualTo(Op.Type.INFO);
        assertThat(WriteOutcomes.ofAnswer(500, "Internal error")).isEqualTo(Op.Type.INFO);
    }
}
