package dev.replog.secondary.blocking;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * BlockHound is installed in every test JVM of this module (blockhound-junit-platform), so a
 * blocking call on a non-blocking thread fails: the Spring context and cluster-free tests of this
 * module run with it, and an event-loop thread that blocks makes them fail.
 */
class BlockHoundInstalledTest {

    @Test
    void sleepingOnANonBlockingThreadFails() {
        assertThatThrownBy(() -> Mono.fromCallable(() -> {
                    Thread.sleep(1);
                    return 1;
                })
                .subscribeOn(Schedulers.parallel())
                .block(Duration.ofSeconds(5)))
                .hasMessageContaining("Blocking call");
    }
}
