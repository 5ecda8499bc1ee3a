package dev.replog.faulty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.replog.common.web.BadRequestException;
import org.junit.jupiter.api.Test;

class FaultSettingsTest {

    @Test
    void acceptsTheBoundsOfEveryRange() {
        assertThat(new FaultSettings(0, 0, 0, 0, false)).isEqualTo(FaultSettings.NONE);
        FaultSettings max = new FaultSettings(1, 1, 60_000, 60_000, true);
        assertThat(max.describe())
                .isEqualTo("errorBeforeAppend=1.0 errorAfterAppend=1.0 delayMs=60000 delayJitterMs=60000 down=true");
    }

    @Test
    void refusesProbabilitiesOutsideZeroToOne() {
        assertThatThrownBy(() -> new FaultSettings(-0.1, 0, 0, 0, false))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("errorBeforeAppend");
        assertThatThrownBy(() -> new FaultSettings(0, 1.01, 0, 0, false))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("errorAfterAppend");
        assertThatThrownBy(() -> new FaultSettings(Double.NaN, 0, 0, 0, false))
                .isInstanceOf(BadRequestException.class);
        assertThatThrownBy(() -> new FaultSettings(0, Double.POSITIVE_INFINITY, 0, 0, false))
                .isInstanceOf(BadRequestException.class);
    }

    @Test
    void refusesDelaysOutsideZeroToSixtySeconds() {
        assertThatThrownBy(() -> new FaultSettings(0, 0, -1, 0, false))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("delayMs");
        assertThatThrownBy(() -> new FaultSettings(0, 0, 60_001, 0, false))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("delayMs");
        assertThatThrownBy(() -> new FaultSettings(0, 0, 0, -1, false))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("delayJitterMs");
        assertThatThrownBy(() -> new FaultSettings(0, 0, 0, 60_001, false))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("delayJitterMs");
    }
}
