package dev.replog.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for nodes, chosen before any node starts (the master must know every secondary's URL).
 *
 * <p>Ports come from below the kernel's ephemeral range, so an outgoing connection cannot take the
 * port of a node that is down between a kill and its restart; each is checked free on 127.0.0.1
 * and never handed out twice in this JVM. The defaults 8080-8082 and 8091-8093 are never used.
 */
final class FreePorts {

    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
    private static final int LOW = 20_000;

    private FreePorts() {
    }

    static int allocate() {
        int high = Math.min(ephemeralLow(), 32_768) - 1;
        for (int attempt = 0; attempt < 200 && high > LOW + 100; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOW, high);
            if (isDefault(port) || !HANDED_OUT.add(port)) {
                continue;
            }
            if (isFree(port)) {
                return port;
            }
        }
        // Fallback: let the kernel choose.
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = socket.getLocalPort();
            HANDED_OUT.add(port);
            return port;
        } catch (IOException e) {
            throw new IllegalStateException("no free port on 127.0.0.1", e);
        }
    }

    private static boolean isDefault(int port) {
        return (port >= 8080 && port <= 8082) || (port >= 8091 && port <= 8093);
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int ephemeralLow() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }
}
