package dev.replog.sync.paxos;

/** One CASPaxos round did not reach a majority; the proposer backs off and tries again. */
final class RoundFailedException extends RuntimeException {

    final String phase;
    final boolean conflict;
    final int answered;

    RoundFailedException(String phase, boolean conflict, int answered) {
        super(phase + " reached no majority (" + answered + " answered" + (conflict ? ", refused by a higher ballot" : "")
                + ")", null, false, false);
        this.phase = phase;
        this.conflict = conflict;
        this.answered = answered;
    }
}
