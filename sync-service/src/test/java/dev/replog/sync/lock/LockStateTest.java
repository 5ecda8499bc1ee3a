package dev.replog.sync.lock;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LockStateTest {

    private static LockState heldBy(String owner, long token) {
        return new LockState(owner, token, Long.MAX_VALUE, token, List.of(), List.of());
    }

    @Test
    void remembersTheGrantOfAnOperationForItsOwnerOnly() {
        LockState state = heldBy("a", 7).remembering("op", "a");

        assertThat(state.grantedTo("op", "a")).isEqualTo(new LockState.GrantedOperation("op", "a", 7));
        assertThat(state.grantedTo("op", "b")).as("another owner's operation of the same id").isNull();
        assertThat(state.grantedTo("other", "a")).isNull();
        assertThat(state.grantedTo(null, "a")).isNull();
    }

    @Test
    void anAcquireWithoutAnOperationIdIsNotRemembered() {
        assertThat(heldBy("a", 1).remembering(null, "a").granted()).isEmpty();
    }

    @Test
    void keepsTheLastSixteenGrantsAndForgetsTheOldest() {
        LockState state = LockState.FREE;
        for (int i = 1; i <= LockState.REMEMBERED_OPERATIONS + 1; i++) {
            // granted token i, then released: the grants are kept through both
            state = new LockState("a", i, Long.MAX_VALUE, i, List.of(), state.granted()).remembering("op-" + i, "a");
            state = new LockState("a", i, 0, i, List.of(), state.granted());
        }

        assertThat(state.granted()).hasSize(LockState.REMEMBERED_OPERATIONS);
        assertThat(state.grantedTo("op-1", "a")).as("the oldest, forgotten").isNull();
        assertThat(state.grantedTo("op-2", "a").token()).isEqualTo(2);
        assertThat(state.grantedTo("op-17", "a").token()).isEqualTo(17);
    }
}
