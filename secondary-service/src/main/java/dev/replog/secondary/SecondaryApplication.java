package dev.replog.secondary;

import dev.replog.common.web.ProblemHandler;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.PropertySource;

/**
 * A replog secondary: an ordered, deduplicated replica of the master's log.
 *
 * <p>Everything but the node's identity lives in components under {@code dev.replog.secondary} so
 * that the faulty-secondary can scan them and run the very same code. The identity (port, name)
 * comes from {@code secondary.properties} on this class rather than from {@code application.yml}:
 * the faulty-secondary has this jar on its class path and must not inherit the secondary's port or
 * name, whatever the class-path order (a shared {@code application.yml} would win or lose by order).
 */
@SpringBootApplication
@Import(ProblemHandler.class)
@PropertySource("classpath:secondary.properties")
public class SecondaryApplication {

    public static void main(String[] args) {
        SpringApplication.run(SecondaryApplication.class, args);
    }
}
