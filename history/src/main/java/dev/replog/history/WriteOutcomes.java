package dev.replog.history;

import java.util.Set;

/**
 * What an answer to {@code POST /messages} proves about the write, following the contract: a
 * 2xx is an acknowledgement; a 4xx, a 307 from an instance that is not the active master, and a 503
 * whose problem says the node took no write (read-only, recovering, no permanent ids, no master
 * known) are definite, and everything else is indefinite: a 504
 * (the entry stays in the log), another 5xx, a timeout or a broken connection.
 */
public final class WriteOutcomes {

    /** Problem titles of the master's 503 answers that are given before anything is appended. */
    static final Set<String> DEFINITE_503_TITLES = Set.of("Read-only", "Recovering", "No permanent ids",
            "No master");

    private WriteOutcomes() {
    }

    /**
     * The completion an HTTP answer proves.
     *
     * @param status       the HTTP status
     * @param problemTitle the {@code title} of a problem+json body, or null
     */
    public static Op.Type ofAnswer(int status, String problemTitle) {
        if (status >= 200 && status < 300) {
            return Op.Type.OK;
        }
        if (status >= 300 && status < 500) {
            return Op.Type.FAIL;
        }
        if (status == 503 && problemTitle != null && DEFINITE_503_TITLES.contains(problemTitle)) {
            return Op.Type.FAIL;
        }
        return Op.Type.INFO;
    }
}
