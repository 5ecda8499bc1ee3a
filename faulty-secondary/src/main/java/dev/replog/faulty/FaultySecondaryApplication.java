package dev.replog.faulty;

import dev.replog.common.web.ProblemHandler;
import dev.replog.secondary.SecondaryApplication;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationExcludeFilter;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.PropertySource;

/**
 * The faulty-secondary: the secondary's own code plus a fault filter switched at run time
 * ({@code /faults}) or at start-up ({@code replog.faults.*}).
 *
 * <p>It scans {@code dev.replog.secondary} but not {@link SecondaryApplication} itself, whose
 * {@code secondary.properties} would give this node the secondary's port and name; its own
 * identity comes from {@code faulty-secondary.properties}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@ComponentScan(basePackages = {"dev.replog.secondary", "dev.replog.faulty"},
        excludeFilters = {
                @ComponentScan.Filter(type = FilterType.CUSTOM, classes = TypeExcludeFilter.class),
                @ComponentScan.Filter(type = FilterType.CUSTOM, classes = AutoConfigurationExcludeFilter.class),
                @ComponentScan.Filter(type = FilterType.ASSIGNABLE_TYPE, classes = SecondaryApplication.class)})
@Import(ProblemHandler.class)
@PropertySource("classpath:faulty-secondary.properties")
public class FaultySecondaryApplication {

    public static void main(String[] args) {
        SpringApplication.run(FaultySecondaryApplication.class, args);
    }
}
