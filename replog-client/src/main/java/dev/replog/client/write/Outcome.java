package dev.replog.client.write;

import dev.replog.client.http.Answer;

/** What one attempt of a write got: a node's answer, or the transport error instead. */
record Outcome(Answer answer, Throwable error) {

    static Outcome answered(Answer answer) {
        return new Outcome(answer, null);
    }

    static Outcome failed(Throwable error) {
        return new Outcome(null, error);
    }
}
