package dev.replog.faulty;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * {@code replog.faults.*}: off by default, set from the environment, refused when out of range; the
 * test-only {@code replog.testing.*} likewise off by default and set from the environment.
 */
class FaultPropertiesBindingTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(FaultConfiguration.class);

    @Test
    void everyFaultIsOffByDefault() {
        runner.run(context -> assertThat(context.getBean(FaultProperties.class).toSettings())
                .isEqualTo(FaultSettings.NONE));
    }

    @Test
    void environmentVariablesSetTheFaults() {
        Map<String, Object> env = Map.of(
                "REPLOG_FAULTS_ERROR_AFTER_APPEND", "0.5",
                "REPLOG_FAULTS_DELAY_MS", "250",
                "REPLOG_FAULTS_DOWN", "true");
        runner.withInitializer(context -> context.getEnvironment().getPropertySources()
                        .addFirst(new SystemEnvironmentPropertySource("test-systemEnvironment", env)))
                .run(context -> assertThat(context.getBean(FaultProperties.class).toSettings())
                        .isEqualTo(new FaultSettings(0, 0.5, 250, 0, true)));
    }

    @Test
    void theTestOnlyDefectIsOffByDefaultAndSetFromTheEnvironment() {
        runner.run(context -> assertThat(context.getBean(TestingProperties.class).ackBeforeStore()).isFalse());
        Map<String, Object> env = Map.of("REPLOG_TESTING_ACK_BEFORE_STORE", "true");
        runner.withInitializer(context -> context.getEnvironment().getPropertySources()
                        .addFirst(new SystemEnvironmentPropertySource("test-systemEnvironment", env)))
                .run(context -> assertThat(context.getBean(TestingProperties.class).ackBeforeStore()).isTrue());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "replog.faults.error-before-append=1.5",
            "replog.faults.error-after-append=-0.5",
            "replog.faults.delay-ms=60001",
            "replog.faults.delay-jitter-ms=-1"})
    void anOutOfRangeValueFailsTheStartWithAClearMessage(String property) {
        runner.withPropertyValues(property).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("must be");
            assertThat(context.getStartupFailure()).hasStackTraceContaining("invalid replog.faults.*");
        });
    }

    @Test
    void aValueOfTheWrongTypeFailsTheStart() {
        runner.withPropertyValues("replog.faults.down=maybe").run(context -> assertThat(context).hasFailed());
    }
}
