package dev.replog.faulty;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Counts injected faults in {@code replog.faults.injected}, tagged by kind. */
@Component
class InjectedFaults {

    /** The kinds of fault, as tagged in the metric and named in problem answers. */
    enum Kind {
        DOWN("down"),
        DELAY("delay"),
        ERROR_BEFORE_APPEND("error-before-append"),
        ERROR_AFTER_APPEND("error-after-append");

        private final String tag;

        Kind(String tag) {
            this.tag = tag;
        }

        String tag() {
            return tag;
        }
    }

    private final Map<Kind, Counter> counters = new EnumMap<>(Kind.class);

    InjectedFaults(MeterRegistry registry) {
        for (Kind kind : Kind.values()) {
            counters.put(kind, Counter.builder("replog.faults.injected")
                    .description("Faults injected into replication requests")
                    .tag("kind", kind.tag())
                    .register(registry));
        }
    }

    void count(Kind kind) {
        counters.get(kind).increment();
    }
}
