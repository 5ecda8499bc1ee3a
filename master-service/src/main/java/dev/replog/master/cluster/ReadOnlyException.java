package dev.replog.master.cluster;

import dev.replog.common.web.ReplogException;
import java.util.Map;
import org.springframework.http.HttpStatus;

/** The master does not accept writes now (no quorum, or still recovering); nothing was written. */
public class ReadOnlyException extends ReplogException {

    private final Mode mode;
    private final int nodesUp;
    private final int quorum;

    public ReadOnlyException(Mode mode, int nodesUp, int quorum, int clusterSize) {
        super(HttpStatus.SERVICE_UNAVAILABLE, mode == Mode.RECOVERING ? "Recovering" : "Read-only",
                describe(mode, nodesUp, quorum, clusterSize));
        this.mode = mode;
        this.nodesUp = nodesUp;
        this.quorum = quorum;
    }

    private static String describe(Mode mode, int nodesUp, int quorum, int clusterSize) {
        if (mode == Mode.RECOVERING) {
            return "the master is recovering its log and accepts no writes yet; reads work";
        }
        return "the cluster is read-only: " + nodesUp + " of " + clusterSize + " nodes are up, "
                + "writes need a quorum of " + quorum + "; reads work, writes resume when enough nodes return";
    }

    @Override
    public Map<String, Object> properties() {
        return Map.of("mode", mode.name(), "nodesUp", nodesUp, "quorum", quorum);
    }
}
