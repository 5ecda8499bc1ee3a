package dev.replog.secondary.replication;

/**
 * Lets something that must see every append in WebFlux's filter chain (the faulty-secondary's
 * fault filter) turn the {@link DirectAppendPath} off while it needs to; asked once per append.
 */
@FunctionalInterface
public interface DirectAppendGate {

    /** Whether the append arriving now may skip WebFlux's filters. */
    boolean open();
}
