package dev.replog.sync.cluster;

import java.util.List;

/** The other sync nodes of the cluster, in {@code replog.sync.peers} order (this node left out). */
public record OtherNodes(List<HttpPeer> peers) {

    public OtherNodes {
        peers = List.copyOf(peers);
    }
}
