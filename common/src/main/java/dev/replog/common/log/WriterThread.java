package dev.replog.common.log;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that runs the tasks given to it one at a time, in the order given: a node's single log
 * writer. Handing a task over never blocks the caller (a lock-free queue and an unpark), so event-loop
 * threads may submit; a JDK single-thread executor would take its queue's lock, and park on it when
 * many submit at once, which BlockHound reports. The thread itself may block (it does file I/O).
 */
public final class WriterThread implements Executor, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WriterThread.class);

    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    public WriterThread(String name) {
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void execute(Runnable task) {
        if (closed) {
            throw new java.util.concurrent.RejectedExecutionException(thread.getName() + " is closed");
        }
        tasks.add(task);
        LockSupport.unpark(thread);
    }

    private void run() {
        while (true) {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    log.error("A task on {} failed", thread.getName(), e);
                }
            }
            if (closed) {
                return;
            }
            // an unpark after the poll above leaves a permit: no task is missed
            LockSupport.park(this);
        }
    }

    /** Runs the tasks already given, then stops; waits up to {@code timeout} for that. */
    public boolean close(long timeout, TimeUnit unit) {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join(unit.toMillis(timeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    @Override
    public void close() {
        close(10, TimeUnit.SECONDS);
    }
}
