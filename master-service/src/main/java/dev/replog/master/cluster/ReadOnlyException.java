package dev.replog.master.cluster;

import dev.replog.common.web.ReplogException;
import java.util.Map;
import dev.replog.common.web.NotActiveMasterException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The master does not accept writes now (no quorum, still recovering, or superseded by a newer
 * master); nothing was written.
 */
public class ReadOnlyException extends ReplogException {

    private final Mode mode;
    private final int nodesUp;
    private final int quorum;

    /** @param recovering while RECOVERING, what the recovery waits for (see {@code Recovery#waitingFor}) */
    public ReadOnlyException(Mode mode, int nodesUp, int quorum, int clusterSize, String recovering) {
        this(mode == Mode.RECOVERING ? "Recovering" : "Read-only", mode, nodesUp, quorum,
                describe(mode, nodesUp, quorum, clusterSize, recovering));
    }

    private ReadOnlyException(String title, Mode mode, int nodesUp, int quorum, String detail) {
        super(HttpStatus.SERVICE_UNAVAILABLE, title, detail);
        this.mode = mode;
        this.nodesUp = nodesUp;
        this.quorum = quorum;
    }

    /** A newer master has taken over: {@code node} follows {@code newerEpoch}, above this master's. */
    public static ReadOnlyException superseded(String node, long newerEpoch, long epoch, int nodesUp, int quorum) {
        return new ReadOnlyException("Superseded", Mode.READ_ONLY, nodesUp, quorum, "a newer master has taken over: "
                + node + " follows epoch " + newerEpoch + ", this master has epoch " + epoch + "; it takes no more "
                + "writes (reads work) until it is restarted, which takes a new epoch and rejoins");
    }

    private static String describe(Mode mode, int nodesUp, int quorum, int clusterSize, String recovering) {
        if (mode == Mode.RECOVERING) {
            return "the master is recovering its log and accepts no writes yet (" + recovering + "); reads work";
        }
        return "the cluster is read-only: " + nodesUp + " of " + clusterSize + " nodes are up, "
                + "writes need a quorum of " + quorum + "; reads work, writes resume when enough nodes return";
    }

    /** While recovering (a takeover runs) or superseded: when to try again, as "No master" says it. */
    @Override
    public void addHeaders(HttpHeaders headers, ServerHttpRequest request) {
        if (mode == Mode.RECOVERING || "Superseded".equals(title())) {
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(NotActiveMasterException.RETRY_AFTER.toSeconds()));
        }
    }

    @Override
    public Map<String, Object> properties() {
        return Map.of("mode", mode.name(), "nodesUp", nodesUp, "quorum", quorum);
    }
}
