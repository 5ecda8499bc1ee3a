package dev.replog.common.log;

import static java.util.concurrent.TimeUnit.SECONDS;

import dev.replog.common.protocol.Entry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Run by {@link FileLogStoreDiskFullTest} in a JVM whose file-size limit the kernel enforces: opens
 * the store in {@code args[0]} and appends one {@code args[1]}-character entry at a time, waiting
 * for each to be durable, until the disk refuses one; tries that entry once more and checks that
 * the store still reads. Then it prints {@code waiting=room} and waits for a line on stdin (the test
 * lifts the limit meanwhile: room again), appends the refused entry a third time, and halts without
 * closing the store (as a crash would). Prints what happened as {@code key=value} lines.
 */
final class DiskFullProbe {

    private DiskFullProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String message = "x".repeat(Integer.parseInt(args[1]));
        FileLogStore store = FileLogStore.open(dir, FsyncMode.GROUP);
        long acked = 0;
        while (true) {
            try {
                store.append(List.of(entry(acked + 1, message))).get(10, SECONDS);
                acked++;
            } catch (AppendFailedException refused) {
                System.out.println("refused=" + refused.getMessage());
                System.out.println("outOfSpace=" + refused.outOfSpace());
                break;
            }
        }
        System.out.println("acked=" + acked);
        try {
            store.append(List.of(entry(acked + 1, message)));
            System.out.println("again=appended");
        } catch (AppendFailedException refused) {
            System.out.println("again=refused");
        }
        System.out.println("lastSeq=" + store.lastSeq());
        System.out.println("readable=" + store.read(1, Integer.MAX_VALUE).size());
        System.out.println("waiting=room");
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        System.out.println("withRoom=" + store.append(List.of(entry(acked + 1, message))).get(10, SECONDS));
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }

    static Entry entry(long seq, String message) {
        return new Entry(seq, seq * 2, message);
    }
}
