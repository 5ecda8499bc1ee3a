package dev.replog.secondary.leader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replog.common.protocol.ActiveMaster;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class KnownMasterTest {

    private Instant now = Instant.parse("2026-12-05T12:00:00Z");
    private final KnownMaster known = new KnownMaster(new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    });

    @Test
    void theMasterOfTheHighestEpochWinsAndAnOlderOneIsIgnored() {
        known.heard("3 http://localhost:8080");
        known.heard("4 http://localhost:8083");
        known.heard("3 http://localhost:8080"); // a deposed master's late heartbeat
        assertThat(known.current()).isEqualTo(new ActiveMaster("http://localhost:8083", 4));
    }

    @Test
    void aMasterNotHeardForThreeSecondsIsNoLongerVouchedFor() {
        known.heard("2 http://localhost:8080");
        now = now.plus(KnownMaster.FORGET_AFTER);
        assertThat(known.current()).isNotNull();
        now = now.plus(Duration.ofMillis(1));
        assertThat(known.current()).isNull();
        assertThat(known.last()).isEqualTo(new ActiveMaster("http://localhost:8080", 2));
    }

    @Test
    void requestsWithoutTheHeaderChangeNothing() {
        known.heard(null);
        known.heard("garbage");
        assertThat(known.current()).isNull();
    }
}
