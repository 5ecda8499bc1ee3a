package dev.replog.master.replication;

import java.util.function.LongFunction;
import reactor.core.publisher.Mono;

/**
 * The last seq at which two logs hold the same entry, by binary search: logs that agree at a seq
 * agree at every seq before it (every append checks the entry before it, and permanent ids are
 * never reused), so "same entry at seq" is true up to the shared prefix's end and false after it.
 */
public final class CommonPrefix {

    private CommonPrefix() {
    }

    /**
     * The shared prefix's end in [{@code agreed}, {@code differs}): the logs agree at {@code agreed}
     * (or it is 0) and not at {@code differs}; {@code sameAt} compares one seq.
     */
    public static Mono<Long> search(LongFunction<Mono<Boolean>> sameAt, long agreed, long differs) {
        if (differs - agreed <= 1) {
            return Mono.just(agreed);
        }
        long mid = agreed + (differs - agreed) / 2;
        return sameAt.apply(mid).flatMap(same -> same ? search(sameAt, mid, differs) : search(sameAt, agreed, mid));
    }
}
