package dev.replog.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How {@code bin/bench producer} reads its options. */
class ProducerBenchOptionsTest {

    @Test
    void theDefaultsAreTheGoalsShape() {
        ProducerBench.Options options = ProducerBench.parse(new String[0]);

        assertThat(options.clients()).isEqualTo(64);
        assertThat(options.window()).isEqualTo(1);
        assertThat(options.w()).isEqualTo("3");
        assertThat(options.size()).isEqualTo(100);
        assertThat(options.linger()).isEqualTo(Duration.ofMillis(5));
        assertThat(options.batch()).isEqualTo(100);
        assertThat(options.own()).isFalse();
        assertThat(options.nodes()).startsWith(URI.create("http://127.0.0.1:8080"));
    }

    @Test
    void optionsAreReadAndCheckedAsTheOtherBenchCommandsDo() {
        ProducerBench.Options options = ProducerBench.parse(new String[] {"--window", "32", "--linger", "0ms",
                "--nodes", "http://127.0.0.1:1, http://127.0.0.1:2", "--max-batch", "1000"});

        assertThat(options.window()).isEqualTo(32);
        assertThat(options.linger()).isZero();
        assertThat(options.nodes()).containsExactly(URI.create("http://127.0.0.1:1"), URI.create("http://127.0.0.1:2"));
        assertThatThrownBy(() -> ProducerBench.parse(new String[] {"--max-batch", "1001"}))
                .hasMessageContaining("at most 1000");
        assertThatThrownBy(() -> ProducerBench.parse(new String[] {"--cluster", "own", "--nodes", "http://x:1"}))
                .hasMessageContaining("leave out --nodes");
        assertThatThrownBy(() -> ProducerBench.parse(new String[] {"--w", "three"})).hasMessageContaining("w must be");
        assertThatThrownBy(() -> ProducerBench.parse(new String[] {"--batch-size", "5"}))
                .hasMessage("unknown option --batch-size");
        assertThatThrownBy(() -> ProducerBench.parse(new String[] {"--clients"}))
                .hasMessage("expected --option value, got --clients");
    }

    @Test
    void aFlagTakesNoValue() {
        assertThat(CommandLine.values(new String[] {"--verify", "--w", "2"}, java.util.List.of("w"),
                java.util.List.of("verify"))).containsEntry("verify", "true").containsEntry("w", "2");
    }
}
