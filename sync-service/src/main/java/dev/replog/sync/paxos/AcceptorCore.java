package dev.replog.sync.paxos;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;

/**
 * The acceptor of every key on this node: the CASPaxos rules, with each change of state made
 * durable through the {@link AcceptorStore} before the answer is returned. Calls on one key are
 * serialized; calls block on the store's fsync, so callers run them off event-loop threads.
 *
 * <p>Besides the per-key promises the node keeps one generation floor ({@link #fence}): every
 * prepare or accept below it is refused on every key, known or not, and the refusal names the
 * floor so that the proposer moves up to the new generation.
 */
public final class AcceptorCore {

    private final AcceptorStore store;
    private final Map<String, AcceptorState> states;

    private final Object floorLock = new Object();
    private volatile Ballot floor;

    public AcceptorCore(AcceptorStore store) {
        this.store = store;
        this.states = new ConcurrentHashMap<>(store.loadAll());
        this.floor = store.floor();
    }

    public AcceptorStore store() {
        return store;
    }

    /** Promises {@code ballot} if it is above every ballot promised on the key. */
    public Messages.Promise prepare(Messages.Prepare prepare) {
        String key = prepare.key();
        synchronized (lockOf(key)) {
            AcceptorState state = stateOf(key);
            Ballot floor = this.floor;
            if (!prepare.ballot().isAbove(state.promised()) || floor.isAbove(prepare.ballot())) {
                return new Messages.Promise(false, Ballot.max(state.promised(), floor), state.accepted(), null);
            }
            AcceptorState next = new AcceptorState(prepare.ballot(), state.accepted(), state.value());
            persist(key, next);
            return new Messages.Promise(true, next.promised(), next.accepted(), next.value());
        }
    }

    /** Accepts the value unless a ballot above {@code ballot} was promised. */
    public Messages.Accepted accept(Messages.Accept accept) {
        String key = accept.key();
        synchronized (lockOf(key)) {
            AcceptorState state = stateOf(key);
            Ballot floor = this.floor;
            if (state.promised().isAbove(accept.ballot()) || floor.isAbove(accept.ballot())) {
                return new Messages.Accepted(false, Ballot.max(state.promised(), floor));
            }
            AcceptorState next = new AcceptorState(accept.ballot(), accept.ballot(), normalize(accept.value()));
            persist(key, next);
            return new Messages.Accepted(true, next.promised());
        }
    }

    /**
     * Installs the state a re-joining node copied from its peers, unless it already holds a higher
     * promise for the key (it may have voted on it meanwhile).
     */
    public void install(String key, AcceptorState copied) {
        synchronized (lockOf(key)) {
            AcceptorState state = stateOf(key);
            if (!state.promised().isAbove(copied.promised())) {
                persist(key, copied);
            }
        }
    }

    /**
     * Raises the generation floor to {@code atLeast} (durably) and returns the floor now in force.
     * A prepare or accept that checked the old floor may still finish; every one that starts after
     * this returns sees the new floor.
     */
    public Ballot fence(Ballot atLeast) {
        synchronized (floorLock) {
            if (atLeast.isAbove(floor)) {
                store.saveFloor(atLeast);
                floor = atLeast;
            }
            return floor;
        }
    }

    public Ballot floor() {
        return floor;
    }

    public AcceptorState stateOf(String key) {
        return states.getOrDefault(key, AcceptorState.EMPTY);
    }

    public List<String> keys() {
        return states.keySet().stream().sorted().toList();
    }

    /** The highest ballot promised on any key, or the floor if that is higher. */
    public Ballot maxBallot() {
        return states.values().stream().map(AcceptorState::promised).reduce(floor, Ballot::max);
    }

    private void persist(String key, AcceptorState next) {
        store.save(key, next); // durable before anyone can learn of it
        states.put(key, next);
    }

    private Object lockOf(String key) {
        return locks.computeIfAbsent(key, k -> new Object());
    }

    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    static JsonNode normalize(JsonNode value) {
        return value == null || value.isNull() || value.isMissingNode() ? null : value;
    }
}
