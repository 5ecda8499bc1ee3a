package dev.replog.client.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.replog.client.ReplogClient;
import dev.replog.client.testing.FakeNode;
import dev.replog.client.testing.FakeNode.Reply;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A lease against a sync node played by a tiny server: renewals, a refused renewal, a release. */
class LeaseTest {

    private static final String GRANT = "{\"name\":\"report\",\"owner\":\"o\",\"token\":5,\"expiresAt\":\"2030-01-01T00:00:00Z\"}";

    @Test
    void aLeaseIsRenewedEveryThirdOfItsTtlWithTheSameOwnerAndANewOperationId() {
        try (FakeNode sync = new FakeNode(request -> Reply.json(200, request.uri().endsWith("/release")
                ? "{\"released\":true}" : GRANT));
             ReplogClient client = client(sync)) {

            Lease lease = client.lock("report", Duration.ofMillis(600)).join();
            assertThat(lease.token()).isEqualTo(5);

            await().atMost(Duration.ofSeconds(5)).until(() -> sync.requests().size() >= 4);
            assertThat(lease.isHeld()).isTrue();
            List<FakeNode.Request> acquires = sync.requests();
            assertThat(acquires).allSatisfy(request -> {
                assertThat(request.uri()).isEqualTo("/locks/report/acquire");
                assertThat(request.body()).contains("\"owner\":\"" + lease.owner() + "\"", "\"ttlMs\":600");
            });
            assertThat(acquires).extracting(request -> request.header("Replog-Operation-Id")).doesNotHaveDuplicates();

            assertThat(lease.release().join()).isTrue();
            assertThat(lease.isHeld()).isFalse();
            assertThat(sync.requests().get(sync.requests().size() - 1).body())
                    .isEqualTo("{\"owner\":\"" + lease.owner() + "\",\"token\":5}");
        }
    }

    @Test
    void aRefusedRenewalLosesTheLease() {
        AtomicBoolean taken = new AtomicBoolean();
        try (FakeNode sync = new FakeNode(request -> taken.get()
                ? Reply.json(409, "{\"title\":\"Lock held\",\"status\":409,\"detail\":\"held\",\"holder\":\"x\"}")
                : Reply.json(200, GRANT));
             ReplogClient client = client(sync)) {

            Lease lease = client.lock("report", Duration.ofSeconds(3)).join();
            taken.set(true);

            lease.lost().get(5, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(lease.isHeld()).isFalse();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aLeaseWhoseRenewalsGetNoAnswerIsNoLongerHeldAtItsExpiry() {
        AtomicBoolean silent = new AtomicBoolean();
        try (FakeNode sync = new FakeNode(request -> silent.get() ? FakeNode.DROP : Reply.json(200, GRANT));
             ReplogClient client = client(sync)) {

            long sent = System.nanoTime();
            Lease lease = client.lock("report", Duration.ofMillis(900)).join();
            silent.set(true);
            // the lease counts from when its acquire was sent: it ends by then + ttl, however long the answer took
            long expiry = Math.max(System.nanoTime(), sent + Duration.ofMillis(900).toNanos());

            await().atMost(Duration.ofSeconds(5)).until(() -> !lease.isHeld());
            assertThat(Duration.ofNanos(System.nanoTime() - expiry)).isLessThan(Duration.ofMillis(500));
            await().atMost(Duration.ofSeconds(5)).until(() -> lease.lost().isDone());
        }
    }

    private static ReplogClient client(FakeNode sync) {
        return ReplogClient.builder().nodes(List.of("http://127.0.0.1:1")).syncNodes(List.of(sync.url().toString()))
                .requestTimeout(Duration.ofSeconds(10)).syncTimeout(Duration.ofSeconds(10)).build();
    }
}
