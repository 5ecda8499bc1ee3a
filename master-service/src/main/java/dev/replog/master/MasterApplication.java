package dev.replog.master;

import dev.replog.common.web.ProblemHandler;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

/** The master: accepts writes, gives each its place in the total order and replicates it. */
@SpringBootApplication
@ConfigurationPropertiesScan
@Import(ProblemHandler.class)
public class MasterApplication {

    public static void main(String[] args) {
        SpringApplication.run(MasterApplication.class, args);
    }
}
