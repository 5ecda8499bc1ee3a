package dev.replog.client.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replog.client.ReplogClient;
import dev.replog.client.producer.ReplogProducer;
import dev.replog.client.write.AppendResult;
import dev.replog.client.write.WriteConcern;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

class ReplogClientAutoConfigurationTest {

    /** A master played by a tiny server on a free port: every append is seq 1, /health is READ_WRITE. */
    private static DisposableServer master;
    private static final List<String> BODIES = new CopyOnWriteArrayList<>();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ReplogClientAutoConfiguration.class));

    @BeforeAll
    static void startMaster() {
        master = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes
                        .post("/messages", (request, response) -> request.receive().aggregate().asString()
                                .doOnNext(BODIES::add)
                                .then(response.status(201).header("Content-Type", "application/json")
                                        .sendString(Mono.just("{\"seq\":1,\"id\":1,\"w\":2,\"acks\":2}")).then()))
                        .get("/health", (request, response) -> response.header("Content-Type", "application/json")
                                .sendString(Mono.just("{\"mode\":\"READ_WRITE\",\"epoch\":3}"))))
                .bindNow();
    }

    @AfterAll
    static void stopMaster() {
        master.disposeNow();
    }

    @Test
    void withoutNodesThereIsNoClient() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(ReplogClient.class);
            assertThat(context).doesNotHaveBean(ReplogProducer.class);
        });
    }

    @Test
    void propertiesAloneGiveAWorkingClientWithItsDefaultWriteConcern() {
        runner.withPropertyValues("replog.client.nodes=" + masterUrl(), "replog.client.w=majority")
                .run(context -> {
                    assertThat(context).hasSingleBean(ReplogClient.class).hasSingleBean(ReplogProducer.class);
                    AppendResult result = context.getBean(ReplogClient.class).append("hello").join();

                    assertThat(result).isEqualTo(new AppendResult(1, 1, 2, 2));
                    assertThat(BODIES).anySatisfy(body -> assertThat(body).contains("\"message\":\"hello\"",
                            "\"w\":\"majority\""));
                });
    }

    @Test
    void nodesGivenAsAnIndexedListAreSeenToo() {
        runner.withPropertyValues("replog.client.nodes[0]=" + masterUrl())
                .run(context -> assertThat(context).hasSingleBean(ReplogClient.class));
    }

    @Test
    void theProducerBatchesAsItsPropertiesSay() {
        runner.withPropertyValues("replog.client.nodes=" + masterUrl(), "replog.client.producer.linger=20ms",
                        "replog.client.producer.batch-size=50", "replog.client.producer.w=all",
                        "replog.client.producer.max-in-flight=1")
                .run(context -> {
                    ReplogProducer producer = context.getBean(ReplogProducer.class);
                    assertThat(producer.settings().linger()).isEqualTo(Duration.ofMillis(20));
                    assertThat(producer.settings().batchSize()).isEqualTo(50);
                    assertThat(producer.settings().w()).isEqualTo(WriteConcern.ALL);
                    assertThat(producer.settings().maxInFlight()).isEqualTo(1);
                });
    }

    @Test
    void withAMeterRegistryAppendsAndErrorsAreCounted() {
        runner.withPropertyValues("replog.client.nodes=" + masterUrl())
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> {
                    ReplogClient client = context.getBean(ReplogClient.class);
                    client.append("one", WriteConcern.ONE).join();
                    client.append(null, WriteConcern.ONE).exceptionally(error -> null).join();

                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.get("replog.client.appends").counter().count()).isEqualTo(1);
                    assertThat(registry.get("replog.client.batch.size").summary().count()).isEqualTo(1);
                    assertThat(registry.get("replog.client.errors").tag("type", "BadInputException").counter().count())
                            .isEqualTo(1);
                });
    }

    @Test
    void theHealthIndicatorShowsTheReachableMasterAndIsDownWithoutOne() {
        runner.withPropertyValues("replog.client.nodes=" + masterUrl())
                .run(context -> {
                    Health health = context.getBean(ReplogHealthIndicator.class).health().block(Duration.ofSeconds(10));
                    assertThat(health.getStatus()).isEqualTo(Status.UP);
                    assertThat(health.getDetails()).containsEntry("master", masterUrl()).containsEntry("mode", "READ_WRITE")
                            .containsEntry("epoch", 3L);
                });
        runner.withPropertyValues("replog.client.nodes=http://127.0.0.1:1", "replog.client.connect-timeout=200ms")
                .run(context -> assertThat(context.getBean(ReplogHealthIndicator.class).health()
                        .block(Duration.ofSeconds(10)).getStatus()).isEqualTo(Status.DOWN));
    }

    private static String masterUrl() {
        return "http://127.0.0.1:" + master.port();
    }
}
