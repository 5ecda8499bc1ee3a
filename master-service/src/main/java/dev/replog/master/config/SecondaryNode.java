package dev.replog.master.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One configured secondary: its name (in logs, metrics and {@code /health}) and base URL.
 *
 * @param index its position among the secondaries, from 1 (the master is 0)
 */
public record SecondaryNode(int index, String name, URI url) {

    /**
     * Parses {@code replog.secondaries}: entries {@code name=url}, or a bare {@code url} named
     * after its host and port.
     */
    public static List<SecondaryNode> parseAll(List<String> entries) {
        List<SecondaryNode> nodes = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String raw : entries) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int eq = entry.indexOf('=');
            URI url = URI.create(eq >= 0 ? entry.substring(eq + 1).trim() : entry);
            if (url.getHost() == null || url.getScheme() == null) {
                throw new IllegalArgumentException("replog.secondaries: not an http URL: " + entry);
            }
            String name = eq >= 0 ? entry.substring(0, eq).trim() : url.getHost() + ":" + url.getPort();
            if (!names.add(name)) {
                throw new IllegalArgumentException("replog.secondaries: duplicate name " + name);
            }
            nodes.add(new SecondaryNode(nodes.size() + 1, name, url));
        }
        return List.copyOf(nodes);
    }
}
