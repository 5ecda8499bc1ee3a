package dev.replog.secondary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replog.secondary.config.SecondaryProperties;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;

/** The secondary's identity defaults: port 8081, name "secondary". */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.MOCK)
class SecondaryApplicationTest {

    @Autowired
    private Environment environment;

    @Autowired
    private SecondaryProperties properties;

    @Test
    void the_secondary_listens_on_8081_as_secondary() {
        assertThat(environment.getProperty("server.port")).isEqualTo("8081");
        assertThat(environment.getProperty("spring.application.name")).isEqualTo("replog-secondary");
        assertThat(properties.nodeName()).isEqualTo("secondary");
        assertThat(properties.dataDir().toString()).isEqualTo("data/secondary");
        assertThat(environment.getProperty("spring.http.codecs.max-in-memory-size")).isEqualTo("16MB");
    }
}
