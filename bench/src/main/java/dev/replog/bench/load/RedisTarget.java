package dev.replog.bench.load;

import java.net.URI;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.Jedis;

/**
 * Redis with replicas: {@code SET} (an {@code MSET} for {@code --batch > 1}) then, for {@code w > 1},
 * {@code WAIT w-1 timeout}: acknowledged once {@code w-1} replicas confirmed the write (the
 * master's own durability is its {@code appendfsync} setting). Each load thread has its own
 * connection, since {@code WAIT} holds the connection it is sent on. A WAIT that returns fewer
 * replicas than asked for counts as a failed operation.
 */
final class RedisTarget implements Target {

    private final URI uri;
    private final int replicas;
    private final long waitTimeoutMs;
    private final AtomicLong keys = new AtomicLong();

    RedisTarget(URI uri, int w, long waitTimeoutMs) {
        this.uri = uri;
        this.replicas = w - 1;
        this.waitTimeoutMs = waitTimeoutMs;
    }

    @Override
    public Client connect() {
        Jedis jedis = new Jedis(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 6379);
        return new Client() {
            @Override
            public String write(String[] messages) {
                if (messages.length == 1) {
                    jedis.set("bench:" + keys.incrementAndGet(), messages[0]);
                } else {
                    String[] kv = new String[2 * messages.length];
                    for (int i = 0; i < messages.length; i++) {
                        kv[2 * i] = "bench:" + keys.incrementAndGet();
                        kv[2 * i + 1] = messages[i];
                    }
                    jedis.mset(kv);
                }
                if (replicas > 0) {
                    long acked = jedis.waitReplicas(replicas, waitTimeoutMs);
                    if (acked < replicas) {
                        return "WAIT " + replicas + " returned " + acked;
                    }
                }
                return null;
            }

            @Override
            public void close() {
                jedis.close();
            }
        };
    }

    @Override
    public String describe() {
        return "redis " + uri + " SET" + (replicas > 0 ? " + WAIT " + replicas : "");
    }
}
