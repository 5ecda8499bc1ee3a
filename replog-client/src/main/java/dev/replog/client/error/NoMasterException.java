package dev.replog.client.error;

/**
 * {@code 503} "No master": a takeover was under way on every try until the deadline. Definite for
 * the answer itself (a node without a master appends nothing); {@link #indefinite()} says whether an
 * earlier attempt of the same call may have appended.
 */
public class NoMasterException extends ReplogException {

    public NoMasterException(String detail, boolean indefinite) {
        super(503, "No master", detail, indefinite);
    }
}
