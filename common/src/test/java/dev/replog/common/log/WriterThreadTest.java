package dev.replog.common.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class WriterThreadTest {

    @Test
    void tasksFromManyThreadsRunOneAtATimeOnOneThreadEachSubmittersInOrder() throws Exception {
        WriterThread writer = new WriterThread("test-writer");
        List<int[]> ran = new CopyOnWriteArrayList<>();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        List<Thread> submitters = IntStream.range(0, 4).mapToObj(s -> new Thread(() -> {
            for (int i = 0; i < 1000; i++) {
                int n = i;
                writer.execute(() -> {
                    threads.add(Thread.currentThread().getName());
                    ran.add(new int[] {s, n});
                });
            }
        })).toList();
        submitters.forEach(Thread::start);
        for (Thread t : submitters) {
            t.join();
        }
        assertThat(writer.close(10, TimeUnit.SECONDS)).as("stopped after running every task").isTrue();
        assertThat(ran).hasSize(4000);
        assertThat(threads).containsExactly("test-writer");
        for (int s = 0; s < 4; s++) {
            int submitter = s;
            assertThat(ran.stream().filter(r -> r[0] == submitter).mapToInt(r -> r[1]).toArray())
                    .isEqualTo(IntStream.range(0, 1000).toArray());
        }
        assertThatThrownBy(() -> writer.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
    }
}
