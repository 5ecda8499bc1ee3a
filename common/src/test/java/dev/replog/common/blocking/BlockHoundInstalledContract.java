package dev.replog.common.blocking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import reactor.blockhound.integration.BlockHoundIntegration;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * What a module that runs BlockHound in every test JVM (blockhound-junit-platform) proves with a
 * subclass: it is installed, so a blocking call on a non-blocking thread fails and an event-loop
 * thread that blocks makes the module's Spring context and cluster-free tests fail; and it runs
 * with {@link TestBlockHoundIntegration}'s rules, found through the service file in this module's
 * test jar.
 */
public abstract class BlockHoundInstalledContract {

    @Test
    void sleepingOnANonBlockingThreadFails() {
        assertThatThrownBy(() -> Mono.fromCallable(() -> {
                    // not a wait: the blocking call itself, which BlockHound must refuse on this thread
                    Thread.sleep(1);
                    return 1;
                })
                .subscribeOn(Schedulers.parallel())
                .block(Duration.ofSeconds(5)))
                .hasMessageContaining("Blocking call");
    }

    @Test
    void theSharedRulesAreLoaded() {
        assertThat(ServiceLoader.load(BlockHoundIntegration.class).stream().map(ServiceLoader.Provider::type))
                .contains(TestBlockHoundIntegration.class);
    }
}
