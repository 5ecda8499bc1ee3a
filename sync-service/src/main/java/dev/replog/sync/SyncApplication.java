package dev.replog.sync;

import dev.replog.common.web.ProblemHandler;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

/**
 * A replog sync node: one of three CASPaxos acceptors and proposers that hand out id ranges of
 * named sequences (epochs, permanent ids) and fenced locks, each decided by a majority.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@Import(ProblemHandler.class)
public class SyncApplication {

    public static void main(String[] args) {
        SpringApplication.run(SyncApplication.class, args);
    }
}
