package dev.replog.secondary.replication;

import reactor.core.publisher.Mono;

/**
 * Where a node that lost its epoch (a new node, or one whose data dir was wiped) learns the newest
 * epoch any master has taken, before it accepts any append: below that floor every master is
 * stale, and a node that followed one again could have it acknowledge writes that the newest
 * master's recovery never saw (see docs/decisions/0010-epoch-floor.md).
 */
interface EpochFloor {

    /** No source: a node without its epoch file follows any master's epoch again (epoch 0). */
    EpochFloor NONE = new EpochFloor() {
        @Override
        public boolean configured() {
            return false;
        }

        @Override
        public Mono<Long> newestEpoch() {
            return Mono.just(0L);
        }

        @Override
        public String describe() {
            return "none";
        }
    };

    /** Whether there is a source to ask. */
    boolean configured();

    /** The newest epoch any master has taken (0: none yet); an error while the source cannot say. */
    Mono<Long> newestEpoch();

    /** Where the floor comes from, for logs and status. */
    String describe();
}
