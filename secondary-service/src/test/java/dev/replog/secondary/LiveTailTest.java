package dev.replog.secondary;

import dev.replog.common.testing.StreamProbe;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;

/** {@code GET /messages/stream} over real HTTP on an empty log: it answers at once and keeps the connection alive. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "server.address=127.0.0.1",
        "spring.reactor.netty.shutdown-quiet-period=0s",
        "replog.stream.keep-alive=200ms"})
@AutoConfigureWebTestClient
class LiveTailTest extends SecondaryWebTest {

    @LocalServerPort
    int port;

    @Test
    void theStreamAnswersAtOnceThoughTheLogIsEmptyAndSendsAKeepAliveEachConfiguredInterval() {
        // one comment at the start, two more after 200 ms each (the default 15 s would take 30 s)
        new StreamProbe(port).assertAnswersAtOnceAndKeepsAlive(Duration.ofSeconds(5));
    }
}
