package dev.replog.sync.lock;

import dev.replog.sync.config.SyncProperties;
import dev.replog.sync.paxos.Keys;
import dev.replog.sync.paxos.NoMajorityException;
import dev.replog.sync.paxos.Proposer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Leased locks with fencing tokens, each one CASPaxos register holding a {@link LockState}. Every
 * decision is taken by the proposer's clock inside the change function, so it is taken on the
 * value it replaces: a lease held and not expired by another owner is never granted; a free lock
 * goes to the head of the waiting queue (or to anyone if nobody waits); the same owner renews its
 * own lease under the same token; every new grant takes a token above every earlier one.
 */
@Service
public class LockService {

    /**
     * The header that names one acquire across its copies: the node that forwards an acquire to
     * the key's preferred node sets it on both the forward and its own fallback; a client may set
     * it too, to retry an acquire without being granted twice.
     */
    public static final String OPERATION_ID = "Replog-Operation-Id";

    private final Proposer proposer;
    private final JsonMapper json;
    private final Clock clock;
    private final Duration pollInterval;
    private final Duration waiterGrace;
    private final Counter grants;
    private final Counter renewals;

    public LockService(Proposer proposer, JsonMapper json, Clock clock, SyncProperties properties,
            MeterRegistry registry) {
        this.proposer = proposer;
        this.json = json;
        this.clock = clock;
        this.pollInterval = properties.sync().lock().pollInterval();
        this.waiterGrace = properties.sync().lock().waiterGrace();
        this.grants = grantCounter(registry, "new");
        this.renewals = grantCounter(registry, "renewal");
    }

    private static Counter grantCounter(MeterRegistry registry, String kind) {
        return Counter.builder("replog.sync.lock.grants").tag("kind", kind)
                .description("Leases granted by this node: new (a new token) or renewal (same owner, same token)")
                .register(registry);
    }

    /** A granted (or renewed) lease. */
    public record Grant(String name, String owner, long token, Instant expiresAt) {
    }

    /** REPEATED: a copy of an acquire already granted, answered with that grant and changing nothing. */
    private enum Kind { GRANTED, RENEWED, REPEATED, WAITING, REFUSED }

    private record Outcome(Kind kind, LockState state) {
    }

    /**
     * Acquires {@code name} for {@code owner} for {@code ttl}, waiting up to {@code wait} in the
     * queue; fails with {@link LockHeldException} if it is not granted by then. An
     * {@code operationId} (may be null) makes copies of one acquire grant at most once: a copy
     * decided after another was granted answers that grant while its lease lasts, and grants
     * nothing once it has ended or been released.
     */
    public Mono<Grant> acquire(String name, String owner, Duration ttl, Duration wait, String operationId) {
        long deadline = clock.millis() + wait.toMillis();
        return attempt(name, owner, ttl, deadline, operationId);
    }

    /** Tries until granted or refused; each try that leaves the owner waiting completes empty. */
    private Mono<Grant> attempt(String name, String owner, Duration ttl, long deadline, String operationId) {
        return Mono.defer(() -> once(name, owner, ttl, deadline, operationId))
                .repeatWhenEmpty(Integer.MAX_VALUE, tries -> tries.concatMap(i -> Mono.delay(pause(deadline))));
    }

    private Mono<Grant> once(String name, String owner, Duration ttl, long deadline, String operationId) {
        boolean mayWait = clock.millis() < deadline;
        return proposer.propose(Keys.lock(name), value -> decide(value, owner, ttl, mayWait, operationId))
                .flatMap(decision -> {
                    Outcome outcome = decision.result();
                    LockState state = outcome.state();
                    return switch (outcome.kind()) {
                        case GRANTED, RENEWED -> {
                            (outcome.kind() == Kind.GRANTED ? grants : renewals).increment();
                            yield Mono.just(new Grant(name, owner, state.token(),
                                    Instant.ofEpochMilli(state.expiresAt())));
                        }
                        case REPEATED -> Mono.just(new Grant(name, owner, state.token(),
                                Instant.ofEpochMilli(state.expiresAt())));
                        case REFUSED -> Mono.error(new LockHeldException(name, state.holder(),
                                Instant.ofEpochMilli(state.expiresAt())));
                        case WAITING -> Mono.<Grant>empty();
                    };
                })
                // a waiter keeps waiting through contention or a lost majority until waitMs is up
                .onErrorResume(NoMajorityException.class,
                        error -> clock.millis() < deadline ? Mono.empty() : Mono.error(error));
    }

    private Duration pause(long deadline) {
        // jittered, so waiters on different nodes do not start their rounds in lockstep
        long left = Math.max(0, deadline - clock.millis());
        long poll = pollInterval.toMillis();
        long jittered = poll / 2 + java.util.concurrent.ThreadLocalRandom.current().nextLong(poll + 1);
        return Duration.ofMillis(Math.min(left, jittered));
    }

    private Proposer.Change<Outcome> decide(JsonNode value, String owner, Duration ttl, boolean mayWait,
            String operationId) {
        long now = clock.millis();
        LockState state = parse(value);
        List<LockState.Waiter> queue = LockState.without(state.liveQueue(now), owner);
        List<LockState.Waiter> live = state.liveQueue(now);
        LockState.GrantedOperation earlier = state.grantedTo(operationId, owner);
        if (earlier != null) {
            boolean stillHeld = state.heldAt(now) && owner.equals(state.holder()) && state.token() == earlier.token();
            return stillHeld
                    ? change(state, Kind.REPEATED, state)
                    : change(state, Kind.REFUSED, state.heldAt(now) ? state : freeShown(state, queue));
        }
        if (state.heldAt(now) && state.holder().equals(owner)) {
            LockState renewed = new LockState(owner, state.token(), now + ttl.toMillis(), state.lastToken(), queue,
                    state.granted()).remembering(operationId, owner);
            return change(renewed, Kind.RENEWED, renewed);
        }
        boolean headIsOwner = live.isEmpty() || live.get(0).owner().equals(owner);
        if (!state.heldAt(now) && headIsOwner) {
            long token = state.lastToken() + 1;
            LockState granted = new LockState(owner, token, now + ttl.toMillis(), token, queue, state.granted())
                    .remembering(operationId, owner);
            return change(granted, Kind.GRANTED, granted);
        }
        if (mayWait) {
            LockState waiting = state.withQueue(LockState.refreshed(live, owner, now + waiterGrace.toMillis()));
            return change(waiting, Kind.WAITING, waiting);
        }
        LockState gaveUp = state.withQueue(queue);
        LockState shown = state.heldAt(now) ? gaveUp : freeShown(state, queue);
        return change(gaveUp, Kind.REFUSED, shown);
    }

    /** How a lock nobody holds is shown in a refusal: no holder, no lease. */
    private static LockState freeShown(LockState state, List<LockState.Waiter> queue) {
        return new LockState(null, 0, 0, state.lastToken(), queue, state.granted());
    }

    /** Releases {@code name} if {@code owner} holds it under {@code token} and its lease has not expired. */
    public Mono<Boolean> release(String name, String owner, long token) {
        return proposer.propose(Keys.lock(name), value -> {
            long now = clock.millis();
            LockState state = parse(value);
            boolean ours = owner.equals(state.holder()) && state.token() == token;
            if (ours && state.heldAt(now)) {
                // keeps holder and token with expiresAt 0, so that the same release applied again
                // (its first round's outcome was unknown and another round carried it on) is seen as done
                LockState released = new LockState(owner, token, 0, state.lastToken(), state.liveQueue(now),
                        state.granted());
                return new Proposer.Change<>(json.valueToTree(released), true);
            }
            if (ours && state.expiresAt() == 0) {
                return new Proposer.Change<>(value, true); // released already, by this very release
            }
            return new Proposer.Change<>(value, false);
        }).flatMap(decision -> decision.result()
                ? Mono.just(true)
                : Mono.error(new NotLockHolderException(owner + " does not hold lock " + name + " under token "
                        + token + " (its lease expired, or the lock passed to another holder)")));
    }

    private Proposer.Change<Outcome> change(LockState next, Kind kind, LockState shown) {
        return new Proposer.Change<>(json.valueToTree(next), new Outcome(kind, shown));
    }

    private LockState parse(JsonNode value) {
        return value == null || value.isNull() ? LockState.FREE : json.treeToValue(value, LockState.class);
    }
}
