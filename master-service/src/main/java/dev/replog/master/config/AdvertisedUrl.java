package dev.replog.master.config;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * This master instance's base URL as clients reach it: {@code replog.advertised-url}, or
 * {@code http://127.0.0.1:<the port the server listens on>}. Known once the web server has started.
 */
@Component
public class AdvertisedUrl {

    private final String configured;
    private final Environment environment;

    public AdvertisedUrl(MasterProperties properties, Environment environment) {
        this.configured = properties.advertisedUrl() == null ? "" : properties.advertisedUrl().trim();
        this.environment = environment;
    }

    /** The URL, without a trailing slash. */
    public String get() {
        if (!configured.isEmpty()) {
            return configured.endsWith("/") ? configured.substring(0, configured.length() - 1) : configured;
        }
        String port = environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"));
        return "http://127.0.0.1:" + port;
    }
}
