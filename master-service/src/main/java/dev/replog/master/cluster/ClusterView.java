package dev.replog.master.cluster;

import dev.replog.common.protocol.ReplicationStatus;
import dev.replog.common.protocol.ActiveMaster;
import dev.replog.common.web.NotActiveMasterException;
import dev.replog.master.config.MasterProperties;
import dev.replog.master.epoch.MasterEpoch;
import dev.replog.master.log.MessageLog;
import dev.replog.master.replication.ClusterMembers;
import dev.replog.master.replication.NodeStatus;
import dev.replog.master.replication.Replicator;
import dev.replog.master.replication.Secondary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The cluster as the master sees it: which nodes are up, whether a quorum ({@code n/2 + 1}, the
 * master counted) is reachable, and so whether writes are accepted.
 */
@Component
public class ClusterView {

    private static final Logger log = LoggerFactory.getLogger(ClusterView.class);

    private final ClusterMembers members;
    private final MessageLog messages;
    private final MasterEpoch epoch;
    private final MasterProperties properties;
    private final RecoveryProgress recovery;
    private final LeaderView leader;
    private Mode lastMode;

    public ClusterView(ClusterMembers members, MessageLog messages, MasterEpoch epoch, MasterProperties properties,
            RecoveryProgress recovery, LeaderView leader, MeterRegistry meters) {
        this.members = members;
        this.messages = messages;
        this.epoch = epoch;
        this.properties = properties;
        this.recovery = recovery;
        this.leader = leader;
        this.lastMode = mode();
        members.onHealthChange(this::logModeChange);
        Gauge.builder("replog.cluster.nodes.up", this, ClusterView::nodesUp)
                .description("Nodes counted towards the write quorum, the master included").register(meters);
        Gauge.builder("replog.log.last.seq", messages, MessageLog::lastSeq)
                .description("The last seq in the master's log").register(meters);
        Gauge.builder("replog.ids.remaining", messages, m -> m.ids().remaining())
                .description("Permanent ids the master holds (reserved or prefetched) and can hand out without asking")
                .tag("source", messages.ids().source())
                .register(meters);
    }

    public int clusterSize() {
        return members.size() + 1;
    }

    public int quorum() {
        return clusterSize() / 2 + 1;
    }

    /** The master plus every secondary that is not UNHEALTHY. */
    public int nodesUp() {
        int up = 1;
        for (Secondary secondary : members.secondaries()) {
            if (secondary.health().status() != NodeStatus.UNHEALTHY) {
                up++;
            }
        }
        return up;
    }

    /**
     * RECOVERING until recovery took an epoch; then READ_WRITE while a quorum is up and no newer
     * master has taken over, else READ_ONLY.
     */
    public Mode mode() {
        Role role = leader.role();
        if (role == Role.STANDBY) {
            return Mode.STANDBY;
        }
        if (role == Role.DEPOSED && !epoch.taken()) {
            return Mode.READ_ONLY; // stepped down before its recovery took an epoch
        }
        if (!epoch.taken()) {
            return Mode.RECOVERING;
        }
        return nodesUp() >= quorum() && supersededBy() == null ? Mode.READ_WRITE : Mode.READ_ONLY;
    }

    /**
     * The first secondary that has accepted an epoch above this master's, or null. Such a master
     * is deposed for good, as a Raft leader that sees a higher term: its writes could only be
     * acknowledged by itself and then lost to the newer master's log, so it takes none until a
     * restart gives it a new epoch.
     */
    public Replicator supersededBy() {
        for (Secondary secondary : members.secondaries()) {
            if (secondary.replicator().newerEpoch() > 0) {
                return secondary.replicator();
            }
        }
        return null;
    }

    /**
     * @throws NotActiveMasterException on an instance that is not the active master: a redirect to
     *                                  the one it knows of, or "No master" while it knows of none
     * @throws ReadOnlyException        unless writes are accepted now
     */
    public void requireWritable() {
        Role role = leader.role();
        if (role != Role.ACTIVE) {
            ActiveMaster active = leader.activeMaster();
            if (active != null) {
                throw NotActiveMasterException.redirect(properties.nodeName(), active.url(), active.epoch());
            }
            if (role == Role.STANDBY) {
                throw NotActiveMasterException.noMaster(properties.nodeName(),
                        "the lease is free or its holder unknown: a takeover runs");
            }
        }
        Mode mode = mode();
        if (mode != Mode.READ_WRITE) {
            Replicator newer = supersededBy();
            throw newer != null && mode == Mode.READ_ONLY
                    ? ReadOnlyException.superseded(newer.node().name(), newer.newerEpoch(), epoch.value(), nodesUp(),
                            quorum())
                    : new ReadOnlyException(mode, nodesUp(), quorum(), clusterSize(), recovery.waitingFor());
        }
    }

    /** A snapshot for {@code GET /health}. */
    public ClusterHealth health() {
        List<ClusterHealth.Node> nodes = new ArrayList<>();
        long lastSeq = messages.lastSeq();
        nodes.add(new ClusterHealth.Node(properties.nodeName(), "self", "master", NodeStatus.HEALTHY.name(),
                messages.durableSeq(), lastSeq - messages.durableSeq(), epoch.value(), Instant.now()));
        for (Secondary secondary : members.secondaries()) {
            Replicator replicator = secondary.replicator();
            ReplicationStatus heard = replicator.lastStatus();
            nodes.add(new ClusterHealth.Node(replicator.node().name(), replicator.node().url().toString(),
                    "secondary", replicator.health().status().name(), replicator.ackedSeq(),
                    Math.max(0, lastSeq - replicator.ackedSeq()), heard == null ? null : heard.epoch(),
                    replicator.health().lastHeartbeat()));
        }
        Mode mode = mode();
        return new ClusterHealth(mode.name(), epoch.value(), lastSeq, quorum(), nodesUp(), nodes,
                new ClusterHealth.Ids(messages.ids().source(), messages.ids().remaining()),
                mode == Mode.RECOVERING ? recovery.waitingFor() : null, leader.role().name(), leader.activeMaster(),
                leader.lastTakeover());
    }

    private synchronized void logModeChange() {
        Mode mode = mode();
        Replicator newer = supersededBy();
        if (mode != lastMode) {
            if (mode == Mode.READ_WRITE) {
                log.info("Cluster is READ_WRITE again: {} of {} nodes up (quorum {})", nodesUp(), clusterSize(),
                        quorum());
            } else if (mode == Mode.READ_ONLY && newer != null) {
                log.error("Cluster is READ_ONLY: a newer master has taken over ({} follows epoch {}, this master has "
                        + "epoch {}); reads still served, restart this master to take writes again", newer.node().name(),
                        newer.newerEpoch(), epoch.value());
            } else {
                log.warn("Cluster is {}: only {} of {} nodes up, writes need {}; reads still served", mode,
                        nodesUp(), clusterSize(), quorum());
            }
            lastMode = mode;
        }
    }
}
