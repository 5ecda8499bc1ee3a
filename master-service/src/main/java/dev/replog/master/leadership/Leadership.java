package dev.replog.master.leadership;

import dev.replog.common.protocol.ActiveMaster;
import dev.replog.master.cluster.LeaderView;
import dev.replog.master.cluster.Role;
import dev.replog.master.config.AdvertisedUrl;
import dev.replog.master.config.MasterProperties;
import dev.replog.master.epoch.MasterEpoch;
import dev.replog.master.recovery.Recovery;
import dev.replog.master.replication.ClusterMembers;
import dev.replog.master.sync.SyncClient;
import dev.replog.master.sync.SyncClient.LockHeldException;
import dev.replog.master.writeconcern.SupersededException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Which master instance leads (docs/decisions/0011-failover.md). Who <em>should</em> lead is a lease
 * in the sync cluster: this instance waits as a STANDBY until it gets the lock
 * {@code replog.lease.name}, renews it every {@code renew-interval} while ACTIVE, and only then runs
 * the {@link Recovery} that takes a new epoch, fences the secondaries and adopts the most up-to-date
 * log. Who <em>can</em> lead is decided by epochs on the secondaries, never by this lease or any
 * clock: a master whose renewals fail serves on (its epoch still fences it), and it steps down only
 * when a secondary shows a newer epoch ({@link ClusterMembers#stepDown}), or when the lease turns out
 * to be another's before its recovery took an epoch.
 *
 * <p>A process leads at most once: once DEPOSED it never trusts its in-memory state again. It ends
 * every waiting write 503 Superseded, releases the lease and exits with status
 * {@value #EXIT_STEPPED_DOWN}, for its supervisor to start it again as a standby
 * ({@code replog.lease.exit-on-step-down}).
 *
 * <p>Without a sync cluster there is no lease: the instance is ACTIVE at once, as the only master.
 */
@Component
public class Leadership implements SmartLifecycle, LeaderView {

    /** The exit status of a master that stepped down (EX_TEMPFAIL): start me again. */
    public static final int EXIT_STEPPED_DOWN = 75;
    private static final Logger log = LoggerFactory.getLogger(Leadership.class);
    /** Time for the 503s of the waits a step-down ended to reach their clients before the process exits. */
    private static final Duration EXIT_GRACE = Duration.ofMillis(500);
    private static final Duration RELEASE_TIMEOUT = Duration.ofSeconds(2);
    /** How long the former holder has to say it still leads before a takeover goes ahead. */
    private static final Duration HOLDER_CHECK_TIMEOUT = Duration.ofMillis(500);

    private final MasterProperties.Lease lease;
    private final boolean withLease;
    private final SyncClient sync;
    private final Recovery recovery;
    private final ClusterMembers members;
    private final MasterEpoch epoch;
    private final AdvertisedUrl url;
    private final String nodeName;
    private final ConfigurableApplicationContext context;
    private final Counter takeovers;
    private final Counter renewals;
    private final Counter renewalFailures;
    private final Timer takeoverTime;
    private final Counter handBacks;
    private final WebClient web;
    /** Whether the last lease this standby got was handed back (logged once per streak). */
    private volatile boolean handedBack;

    private volatile Role role = Role.STANDBY;
    private volatile boolean running;
    /** This process's name in the lock: its URL (where redirects go) and a fresh incarnation. */
    private volatile String owner;
    private volatile long token;
    /** The lease holder a standby last learned of, while its lease lasts. */
    private volatile Holder holder;
    private volatile Takeover lastTakeover;
    private volatile long takeoverStarted;
    private volatile Disposable loop;
    /** The active master's renewals, apart from {@link #loop} so that no standby callback overwrites it. */
    private volatile Disposable renewing;
    /** The last holder learned from the lock; not forgotten on an error, so a hand-back still asks it. */
    private volatile String lastLeader;
    /** Why the last renewal failed ("" while renewals succeed): each kind of failure is logged once. */
    private volatile String renewalTrouble = "";
    private volatile String unreachable = "";

    private record Holder(String url, Instant expiresAt) {
    }

    public Leadership(MasterProperties properties, SyncClient sync, Recovery recovery, ClusterMembers members,
            MasterEpoch epoch, AdvertisedUrl url, ConfigurableApplicationContext context, MeterRegistry meters,
            WebClient.Builder webClients) {
        this.web = webClients.build();
        this.lease = properties.lease();
        this.withLease = properties.sync().enabled();
        this.sync = sync;
        this.recovery = recovery;
        this.members = members;
        this.epoch = epoch;
        this.url = url;
        this.nodeName = properties.nodeName();
        this.context = context;
        this.takeovers = Counter.builder("replog.leadership.takeovers")
                .description("Times this instance took the lease and began a takeover").register(meters);
        this.renewals = Counter.builder("replog.leadership.lease.renewals").tag("outcome", "renewed")
                .description("Lease renewals by the active master, by outcome").register(meters);
        this.renewalFailures = Counter.builder("replog.leadership.lease.renewals").tag("outcome", "failed")
                .description("Lease renewals by the active master, by outcome").register(meters);
        this.takeoverTime = Timer.builder("replog.leadership.takeover")
                .description("From taking the lease to taking writes: the part of a takeover's write unavailability "
                        + "this instance spends (the rest is the old lease running out)")
                .publishPercentileHistogram().register(meters);
        this.handBacks = Counter.builder("replog.leadership.lease.handbacks")
                .description("Leases a standby got and gave back because the former holder still led")
                .register(meters);
        Gauge.builder("replog.leadership.active", this, leadership -> leadership.role == Role.ACTIVE ? 1 : 0)
                .description("1 while this instance is the active master (or takes over), else 0").register(meters);
    }

    @Override
    public void start() {
        running = true;
        members.onStepDown(this::steppedDown);
        if (!withLease) {
            role = Role.ACTIVE;
            recovery.begin(Recovery.LeaseCheck.NONE, this::leading);
            return;
        }
        owner = url.get() + "#" + nodeName + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        log.info("STANDBY: waiting for the lease {} in the sync cluster as {}", lease.name(), owner);
        awaitLease();
    }

    /** One wait in the lock's queue; granted → take over, else learn the holder and wait again. */
    private void awaitLease() {
        if (!running || role != Role.STANDBY) {
            return;
        }
        // while it knows no holder, it asks without queueing first: /health and redirects name the holder at once
        Duration wait = holder == null ? Duration.ZERO : lease.standbyPoll();
        loop = Mono.defer(() -> sync.acquire(lease.name(), owner, lease.ttl(), wait))
                .subscribe(this::granted, this::notGranted);
    }

    private void notGranted(Throwable error) {
        Duration next = Duration.ZERO; // the acquire itself waited
        if (error instanceof LockHeldException held) {
            holder = held.holder() == null ? null : new Holder(urlOf(held.holder()), held.expiresAt());
            if (held.holder() != null) {
                lastLeader = urlOf(held.holder());
            } else {
                next = lease.standbyPoll(); // promised to an earlier waiter: do not hammer the lock meanwhile
            }
            unreachable = "";
        } else {
            holder = null;
            next = lease.standbyPoll();
            String kind = error.getClass().getSimpleName();
            if (!kind.equals(unreachable)) {
                log.warn("STANDBY: cannot ask the sync cluster for the lease ({}); trying again every {}",
                        error.getMessage(), next);
                unreachable = kind;
            }
        }
        loop = Mono.delay(next).subscribe(tick -> awaitLease());
    }

    private void granted(SyncClient.Grant grant) {
        if (!running) {
            sync.release(lease.name(), owner, grant.token()).subscribe();
            return;
        }
        String from = lastLeader;
        if (from == null) {
            takeOver(grant, null);
            return;
        }
        loop = stillLeads(from).subscribe(leads -> {
            if (leads) {
                handBack(grant, from);
            } else {
                takeOver(grant, from);
            }
        });
    }

    /**
     * Whether the instance at {@code url} answers that it is the active master, takes writes and
     * still holds permanent ids (one cut off from the sync cluster runs out of them):
     * then it only could not renew (the sync cluster was unreachable from it), and a takeover would
     * cost the cluster a pause for nothing. A frozen or dead one does not answer in time.
     */
    private Mono<Boolean> stillLeads(String url) {
        return web.get().uri(url + "/health").retrieve().bodyToMono(Map.class)
                .map(health -> "ACTIVE".equals(health.get("role")) && "READ_WRITE".equals(health.get("mode"))
                        && health.get("ids") instanceof Map<?, ?> ids && ids.get("remaining") instanceof Number left
                        && left.longValue() > 0)
                .timeout(HOLDER_CHECK_TIMEOUT)
                .onErrorReturn(false)
                .defaultIfEmpty(false);
    }

    /**
     * The lease came to this standby while its holder still leads: it gives the lease back and
     * stays out of the queue for a lease's time, so that the holder's next renewal takes it again.
     */
    private void handBack(SyncClient.Grant grant, String leader) {
        if (!handedBack) {
            log.info("STANDBY: got the lease {} but {} still leads (it could not renew); handing the lease back",
                    lease.name(), leader);
            handedBack = true;
        }
        handBacks.increment();
        loop = sync.release(lease.name(), owner, grant.token()).onErrorResume(error -> Mono.empty())
                .then(Mono.delay(lease.ttl()))
                .subscribe(tick -> awaitLease());
    }

    private void takeOver(SyncClient.Grant grant, String from) {
        handedBack = false;
        token = grant.token();
        holder = null;
        role = Role.ACTIVE;
        takeoverStarted = System.nanoTime();
        lastTakeover = new Takeover(Instant.now(), from, null, null);
        takeovers.increment();
        log.info("ACTIVE: took the lease {} (token {}){}; taking over: a new epoch, the secondaries fenced, the most "
                + "up-to-date log adopted, then writes", lease.name(), token,
                from == null ? "" : " after " + from + "'s lease passed");
        renewing = Flux.interval(lease.renewInterval(), lease.renewInterval())
                .takeWhile(tick -> running && role == Role.ACTIVE)
                .onBackpressureDrop()
                .concatMap(tick -> renew().onErrorResume(error -> Mono.empty()), 0)
                .subscribe();
        recovery.begin(this::confirmLease, this::leading);
    }

    /**
     * Renews the lease. A failed renewal changes nothing but the log and a counter: this master
     * serves on until a secondary shows a newer epoch (the epochs fence it, not the clock).
     */
    private Mono<Void> renew() {
        return sync.acquire(lease.name(), owner, lease.ttl(), Duration.ZERO)
                .doOnNext(grant -> {
                    renewals.increment();
                    token = grant.token();
                    if (!renewalTrouble.isEmpty()) {
                        log.info("Renewed the lease {} again (token {})", lease.name(), token);
                        renewalTrouble = "";
                    }
                })
                .doOnError(this::renewalFailed)
                .then();
    }

    private void renewalFailed(Throwable error) {
        renewalFailures.increment();
        String trouble = error instanceof LockHeldException held ? "held by " + held.holder() : "unreachable";
        if (!trouble.equals(renewalTrouble)) {
            log.warn(error instanceof LockHeldException
                    ? "The lease {} passed to another instance ({}); this master serves on until a secondary shows "
                            + "a newer epoch, and then steps down"
                    : "Cannot renew the lease {} ({}); this master serves on: its epoch still fences it", lease.name(),
                    error.getMessage());
            renewalTrouble = trouble;
        }
    }

    /**
     * Before the recovery takes an epoch: the lease is still this instance's. If another holds it, a
     * takeover by that one runs: this one steps down rather than duel over epochs.
     */
    private Mono<Void> confirmLease() {
        return renew().onErrorResume(LockHeldException.class, held -> {
            members.stepDown(new SupersededException.Supersession("the lease passed to " + held.holder()
                    + " before this master's recovery took an epoch", epoch.value()));
            return Mono.error(held);
        });
    }

    /** Recovery is done: the epoch is this master's and it takes writes. */
    private void leading() {
        Takeover started = lastTakeover;
        if (started == null) {
            return; // no lease: nothing was taken over
        }
        long took = System.nanoTime() - takeoverStarted;
        takeoverTime.record(took, TimeUnit.NANOSECONDS);
        lastTakeover = new Takeover(started.leaseTakenAt(), started.from(), epoch.value(),
                TimeUnit.NANOSECONDS.toMillis(took));
        log.info("Took over: epoch {}, writes taken {} ms after the lease{}", epoch.value(),
                TimeUnit.NANOSECONDS.toMillis(took), started.from() == null ? "" : " (from " + started.from() + ")");
    }

    private void steppedDown(SupersededException.Supersession by) {
        role = Role.DEPOSED;
        disposeLoops();
        recovery.stop();
        if (withLease && token > 0) {
            sync.release(lease.name(), owner, token).onErrorResume(error -> Mono.empty()).subscribe();
        }
        boolean exit = lease.exitOnStepDown() && withLease;
        log.error("DEPOSED: {} (this master has epoch {}); every waiting write ended 503 Superseded. {}",
                by.evidence(), by.epoch(), exit
                        ? "Exiting with status " + EXIT_STEPPED_DOWN + ": the supervisor starts this instance again "
                                + "as a standby"
                        : "This instance takes no writes until it is restarted");
        if (exit) {
            Mono.delay(EXIT_GRACE).subscribe(tick -> exitForTheSupervisor());
        }
    }

    private void disposeLoops() {
        for (Disposable current : new Disposable[] {loop, renewing}) {
            if (current != null) {
                current.dispose();
            }
        }
    }

    /**
     * Closes the context and exits with {@value #EXIT_STEPPED_DOWN}. Not a daemon thread: once the
     * context is closed no other thread keeps the JVM up, and it would end with status 0 first.
     */
    private void exitForTheSupervisor() {
        Thread exit = new Thread(() -> {
            SpringApplication.exit(context, () -> EXIT_STEPPED_DOWN);
            System.exit(EXIT_STEPPED_DOWN);
        }, "step-down-exit");
        exit.setDaemon(false);
        exit.start();
    }

    /** On a planned stop the lease is released, so that a standby takes over at once. */
    @Override
    public void stop() {
        running = false;
        disposeLoops();
        if (withLease && role == Role.ACTIVE && token > 0) {
            // no longer ACTIVE in /health: the standby that gets the lease takes over instead of handing it back
            role = Role.DEPOSED;
            log.info("Stopping: releasing the lease {} for a standby to take over", lease.name());
            sync.release(lease.name(), owner, token).onErrorResume(error -> Mono.empty())
                    .toFuture().completeOnTimeout(null, RELEASE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public Role role() {
        return role;
    }

    @Override
    public ActiveMaster activeMaster() {
        if (role == Role.ACTIVE) {
            return new ActiveMaster(url.get(), epoch.value());
        }
        Holder known = holder;
        // a holder with this instance's own URL is a former incarnation of it, killed before its lease
        // passed: it leads nowhere, and a redirect to itself would loop
        return known != null && known.expiresAt() != null && known.expiresAt().isAfter(Instant.now())
                && !known.url().equals(url.get())
                ? new ActiveMaster(known.url(), 0)
                : null;
    }

    @Override
    public Takeover lastTakeover() {
        return lastTakeover;
    }

    /** The URL part of an owner ({@code <url>#<incarnation>}). */
    static String urlOf(String owner) {
        int hash = owner.indexOf('#');
        return hash < 0 ? owner : owner.substring(0, hash);
    }
}
