package dev.replog.client.write;

import dev.replog.client.error.ReplogException;
import dev.replog.client.http.Answer;
import java.net.URI;
import java.time.Duration;

/** What a writer does after one attempt ({@link WriteDecision#decide}). */
sealed interface Step {

    /** The write succeeded: here is the master's answer. */
    record Done(Answer answer) implements Step {
    }

    /** The node is not the active master and named it: send there at once, and remember it. */
    record Redirect(URI master) implements Step {
    }

    /**
     * Try again, after {@code delay} (null: the writer's backoff), on the same node or the next one;
     * {@code failure} is what the write ends with if the deadline passes first.
     */
    record Retry(boolean nextNode, Duration delay, ReplogException failure) implements Step {
    }

    /** Stop: the answer is final. */
    record Fail(ReplogException failure) implements Step {
    }
}
