package dev.replog.sync.paxos;

import java.util.Map;

/** Where an acceptor keeps its per-key state. {@link #save} returns only once the state is durable. */
public interface AcceptorStore {

    /** Every key's state, read at start; a store that cannot be read completely throws. */
    Map<String, AcceptorState> loadAll();

    /** Makes {@code state} of {@code key} durable (it survives a crash of the process or machine). */
    void save(String key, AcceptorState state);

    /** Whether this node has ever been a voting member with this store. */
    boolean isMember();

    /** Records, durably, that this node votes from now on with this store. */
    void markMember();

    /** The generation floor last saved ({@link Ballot#ZERO} if none): no ballot below it is promised or accepted. */
    Ballot floor();

    /** Makes the generation floor {@code floor} durable. */
    void saveFloor(Ballot floor);

    /** A store in memory only: for simulations and tests. */
    final class InMemory implements AcceptorStore {

        private final Map<String, AcceptorState> states = new java.util.concurrent.ConcurrentHashMap<>();
        private volatile boolean member;
        private volatile Ballot floor = Ballot.ZERO;

        /** A store of a node that has always been a member. */
        public InMemory() {
            this(true);
        }

        /** {@code member} false: the store of a node that starts without state (new, or wiped). */
        public InMemory(boolean member) {
            this.member = member;
        }

        @Override
        public Map<String, AcceptorState> loadAll() {
            return Map.copyOf(states);
        }

        @Override
        public void save(String key, AcceptorState state) {
            states.put(key, state);
        }

        @Override
        public boolean isMember() {
            return member;
        }

        @Override
        public void markMember() {
            member = true;
        }

        @Override
        public Ballot floor() {
            return floor;
        }

        @Override
        public void saveFloor(Ballot floor) {
            this.floor = floor;
        }
    }
}
