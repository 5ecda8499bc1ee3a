package dev.replog.master.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class NodeHealthTest {

    private final NodeHealth health = new NodeHealth(3);

    @Test
    void aNodeNeverHeardFromIsUnhealthy() {
        assertThat(health.status()).isEqualTo(NodeStatus.UNHEALTHY);
        assertThat(health.lastHeartbeat()).isNull();
    }

    @Test
    void healthyThenSuspectedAfterOneMissedBeatThenUnhealthyAfterThree() {
        health.answered(Instant.EPOCH);
        assertThat(health.status()).isEqualTo(NodeStatus.HEALTHY);
        health.missed();
        assertThat(health.status()).isEqualTo(NodeStatus.SUSPECTED);
        health.missed();
        assertThat(health.status()).isEqualTo(NodeStatus.SUSPECTED);
        health.missed();
        assertThat(health.status()).isEqualTo(NodeStatus.UNHEALTHY);
        health.missed();
        assertThat(health.missedBeats()).isEqualTo(3);
    }

    @Test
    void anyAnswerMakesItHealthyAgain() {
        health.answered(Instant.EPOCH);
        health.missed();
        health.missed();
        health.missed();
        assertThat(health.answered(Instant.EPOCH.plusSeconds(5))).isEqualTo(NodeStatus.UNHEALTHY);
        assertThat(health.status()).isEqualTo(NodeStatus.HEALTHY);
        assertThat(health.lastHeartbeat()).isEqualTo(Instant.EPOCH.plusSeconds(5));
    }
}
