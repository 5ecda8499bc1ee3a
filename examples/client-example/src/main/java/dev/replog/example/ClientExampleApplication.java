package dev.replog.example;

import dev.replog.client.ReplogClient;
import dev.replog.client.lock.Lease;
import dev.replog.client.producer.ReplogProducer;
import dev.replog.client.tail.Entry;
import dev.replog.client.write.AppendResult;
import dev.replog.client.write.WriteConcern;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Uses every part of the client once against a running cluster ({@code bin/cluster start}): an
 * append at {@code w=majority}, 100 messages through the producer, a tail of what was written, five
 * permanent ids and a lock with its fencing token.
 */
@SpringBootApplication
public class ClientExampleApplication implements CommandLineRunner {

    private static final Logger log = LoggerFactory.getLogger(ClientExampleApplication.class);

    private final ReplogClient client;
    private final ReplogProducer producer;

    public ClientExampleApplication(ReplogClient client, ReplogProducer producer) {
        this.client = client;
        this.producer = producer;
    }

    public static void main(String[] args) {
        SpringApplication.run(ClientExampleApplication.class, args).close();
    }

    @Override
    public void run(String... args) {
        AppendResult first = client.appendAndWait("hello from the example", WriteConcern.MAJORITY);
        log.info("appended seq {} id {}: {} of {} nodes hold it", first.seq(), first.id(), first.acks(), first.w());

        List<CompletableFuture<AppendResult>> sent = IntStream.range(0, 100)
                .mapToObj(i -> producer.send("batched-" + i)).toList();
        producer.flush().join();
        log.info("the producer appended 100 messages, seq {}..{}", sent.get(0).join().seq(), sent.get(99).join().seq());

        List<Entry> tailed = client.tail(first.seq()).take(3).collectList().block(Duration.ofSeconds(30));
        tailed.forEach(entry -> log.info("tail: seq {} id {} {}", entry.seq(), entry.id(), entry.message()));

        List<Long> ids = client.ids("example-ids", 100).take(5).collectList().block(Duration.ofSeconds(30));
        log.info("permanent ids: {}", ids);

        try (Lease lease = ReplogClient.await(client.lock("example-report", Duration.ofSeconds(10),
                Duration.ofSeconds(30)))) {
            log.info("holding lock {} with fencing token {}: pass the token to whatever the lock guards",
                    lease.name(), lease.token());
        }
        log.info("lock released");
    }
}
