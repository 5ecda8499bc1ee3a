package dev.replog.secondary.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replog.common.log.FsyncMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.util.unit.DataSize;

/** {@code replog.*} binds with defaults, from environment variables, and refuses bad values. */
class SecondaryPropertiesBindingTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(SecondaryConfiguration.class)
            // the cluster-secret filter writes its 401 through the codecs that WebFlux would provide
            .withBean(ServerCodecConfigurer.class, ServerCodecConfigurer::create);

    @Test
    void everyPropertyHasADefault() {
        runner.run(context -> {
            SecondaryProperties properties = context.getBean(SecondaryProperties.class);
            assertThat(properties.nodeName()).isEqualTo("secondary");
            assertThat(properties.dataDir()).isEqualTo(Path.of("data"));
            assertThat(properties.maxMessageBytes()).isEqualTo(DataSize.ofMegabytes(1));
            assertThat(properties.replication().delay()).isEqualTo(Duration.ZERO);
            assertThat(properties.replication().maxPending()).isEqualTo(100_000);
            assertThat(properties.storage().fsync()).isEqualTo("group");
            assertThat(properties.storage().fsyncMode()).isEqualTo(FsyncMode.GROUP);
            assertThat(properties.storage().segmentBytes()).isEqualTo(DataSize.ofMegabytes(64));
        });
    }

    @Test
    void environmentVariablesSetTheProperties() {
        Map<String, Object> env = Map.of(
                "REPLOG_NODE_NAME", "secondary-2",
                "REPLOG_DATA_DIR", "/var/lib/replog",
                "REPLOG_MAX_MESSAGE_BYTES", "2MB",
                "REPLOG_REPLICATION_DELAY", "250ms",
                "REPLOG_REPLICATION_MAX_PENDING", "10",
                "REPLOG_STORAGE_FSYNC", "always",
                "REPLOG_STORAGE_SEGMENT_BYTES", "1MB");
        runner.withInitializer(context -> context.getEnvironment().getPropertySources()
                        .addFirst(new SystemEnvironmentPropertySource("test-systemEnvironment", env)))
                .run(context -> {
                    SecondaryProperties properties = context.getBean(SecondaryProperties.class);
                    assertThat(properties.nodeName()).isEqualTo("secondary-2");
                    assertThat(properties.dataDir()).isEqualTo(Path.of("/var/lib/replog"));
                    assertThat(properties.maxMessageBytes()).isEqualTo(DataSize.ofMegabytes(2));
                    assertThat(properties.replication().delay()).isEqualTo(Duration.ofMillis(250));
                    assertThat(properties.replication().maxPending()).isEqualTo(10);
                    assertThat(properties.storage().fsyncMode()).isEqualTo(FsyncMode.ALWAYS);
                    assertThat(properties.storage().segmentBytes()).isEqualTo(DataSize.ofMegabytes(1));
                });
    }

    @Test
    void aNegativeDelayFailsTheStartWithAClearMessage() {
        runner.withPropertyValues("replog.replication.delay=-1s").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("replog.replication.delay must not be negative");
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"group, GROUP", "ALWAYS, ALWAYS", "' none ', NONE"})
    void everyFsyncModeBinds(String value, FsyncMode mode) {
        runner.withPropertyValues("replog.storage.fsync=" + value).run(context ->
                assertThat(context.getBean(SecondaryProperties.class).storage().fsyncMode()).isEqualTo(mode));
    }

    @Test
    void anUnknownFsyncModeFailsTheStartWithAMessageNamingTheProperty() {
        runner.withPropertyValues("replog.storage.fsync=bogus").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("replog.storage.fsync must be one of group, always, none")
                    .hasMessageContaining("'bogus'");
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"0B", "2GB"})
    void aSegmentSizeOutOfRangeFailsTheStart(String size) {
        runner.withPropertyValues("replog.storage.segment-bytes=" + size).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("replog.storage.segment-bytes must be between 1B and 1GB");
        });
    }

    @Test
    void aBlankNodeNameOrNegativeBoundFailsTheStart() {
        runner.withPropertyValues("replog.node-name= ").run(context -> assertThat(context).hasFailed());
        runner.withPropertyValues("replog.replication.max-pending=-1").run(context -> assertThat(context).hasFailed());
        runner.withPropertyValues("replog.max-message-bytes=0").run(context -> assertThat(context).hasFailed());
    }
}
