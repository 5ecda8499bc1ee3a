package dev.replog.client.autoconfigure;

import dev.replog.client.error.ReplogException;
import dev.replog.client.write.WriteListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The client's writes as meters: {@code replog.client.appends} (messages appended),
 * {@code replog.client.errors} (writes that failed, by {@code type}: the exception's simple name),
 * {@code replog.client.retries} (attempts retried, by {@code reason}: the answer's title) and
 * {@code replog.client.batch.size} (messages per request). Nothing is recorded when the
 * application has no {@link MeterRegistry} bean.
 */
public class ReplogClientMetrics implements WriteListener {

    private final ObjectProvider<MeterRegistry> registries;

    /** @param registries looked up on each event, so that the registry may be made after the client */
    public ReplogClientMetrics(ObjectProvider<MeterRegistry> registries) {
        this.registries = registries;
    }

    @Override
    public void appended(int messages) {
        MeterRegistry registry = registries.getIfAvailable();
        if (registry != null) {
            Counter.builder("replog.client.appends").description("Messages appended by this client")
                    .register(registry).increment(messages);
            DistributionSummary.builder("replog.client.batch.size").description("Messages per append request")
                    .register(registry).record(messages);
        }
    }

    @Override
    public void failed(int messages, ReplogException failure) {
        MeterRegistry registry = registries.getIfAvailable();
        if (registry != null) {
            Counter.builder("replog.client.errors").description("Append requests that failed after their retries")
                    .tag("type", failure.getClass().getSimpleName())
                    .register(registry).increment();
        }
    }

    @Override
    public void retried(String reason) {
        MeterRegistry registry = registries.getIfAvailable();
        if (registry != null) {
            Counter.builder("replog.client.retries").description("Attempts of append requests that were retried")
                    .tag("reason", reason)
                    .register(registry).increment();
        }
    }
}
