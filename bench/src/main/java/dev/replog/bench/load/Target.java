package dev.replog.bench.load;

/**
 * A system under load: hands out one {@link Client} per load thread. A client's {@link Client#write}
 * is one closed-loop operation: it returns once the write is acknowledged as the options ask
 * ({@code w} nodes for replog, {@code WAIT w-1} replicas for Redis, a majority for etcd).
 */
interface Target {

    /** A connection of one load thread. */
    interface Client extends AutoCloseable {
        /**
         * Writes {@code messages} (one operation; more than one with {@code --batch}).
         *
         * @return null when acknowledged, else a short description of the failure
         */
        String write(String[] messages) throws Exception;

        @Override
        void close();
    }

    Client connect() throws Exception;

    /** What one operation is, for the report. */
    String describe();
}
