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

    /** A store in memory only: for simulations and tests. */
    final class InMemory implements AcceptorStore {

        private final Map<String, AcceptorState> states = new java.util.concurrent.ConcurrentHashMap<>();
        private volatile boolean member = true;

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
    }
}
