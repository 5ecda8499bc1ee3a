package dev.replog.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Chaos settings")
class ChaosSettingsTest {

    @Test
    @DisplayName("the CI seeds open with every kind of fault between them, whatever the random source")
    void ciSeedsCoverEveryFault() {
        for (long source = 0; source < 50; source++) {
            List<Long> seeds = ChaosSettings.covering(new Random(source), ChaosSettings.CI_ROUNDS);

            Set<Nemesis.Fault> opened = EnumSet.noneOf(Nemesis.Fault.class);
            seeds.forEach(seed -> opened.addAll(Nemesis.opening(seed)));
            assertThat(opened).as("faults opening the rounds of seeds %s", seeds)
                    .containsExactlyInAnyOrder(Nemesis.Fault.values());
        }
    }

    @Test
    @DisplayName("a seed always opens with the same two kinds of fault")
    void openingIsASeedsOwn() {
        assertThat(Nemesis.opening(42)).hasSize(2).isEqualTo(Nemesis.opening(42));
    }

    @Test
    @DisplayName("durations read as 1500ms, 90s, 30m, 2h or ISO-8601")
    void parsesDurations() {
        assertThat(ChaosSettings.parse("1500ms")).isEqualTo(Duration.ofMillis(1500));
        assertThat(ChaosSettings.parse("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(ChaosSettings.parse("30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(ChaosSettings.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(ChaosSettings.parse("PT45S")).isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    @DisplayName("a replay line names the seed and the round's length")
    void replayLine() {
        ChaosSettings settings = new ChaosSettings(List.of(7L), Duration.ofSeconds(20), Duration.ofSeconds(20), false);

        assertThat(settings.replay(7)).isEqualTo("-Dchaos.seed=7 -Dchaos.duration=20000ms");
    }
}
