package dev.replog.sync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class SyncPropertiesBindingTest {

    private static SyncProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("replog", SyncProperties.class);
    }

    @Test
    void defaultsDescribeThreeLocalNodesWithThisOneFirst() {
        SyncProperties properties = bind(Map.of());
        assertThat(properties.nodeName()).isEqualTo("sync-1");
        assertThat(properties.sync().peers()).hasSize(3).first().isEqualTo(URI.create("http://127.0.0.1:8091"));
        assertThat(properties.sync().nodeId()).isEqualTo(1);
        assertThat(properties.sync().requestTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(properties.sync().backoff().giveUpAfter()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void peersAreACommaSeparatedListAndTheNodeIdPointsIntoIt() {
        SyncProperties properties = bind(Map.of(
                "replog.sync.peers", "http://a:1,http://b:2,http://c:3",
                "replog.sync.node-id", "3",
                "replog.sync.request-timeout", "250ms"));
        assertThat(properties.sync().peers()).extracting(URI::getHost).containsExactly("a", "b", "c");
        assertThat(properties.sync().nodeId()).isEqualTo(3);
        assertThat(properties.sync().requestTimeout()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void aNodeIdOutsideThePeerListIsRefusedWithAClearMessage() {
        assertThatThrownBy(() -> bind(Map.of("replog.sync.peers", "http://a:1,http://b:2,http://c:3",
                "replog.sync.node-id", "4")))
                .rootCause().hasMessageContaining("replog.sync.node-id");
    }
}
