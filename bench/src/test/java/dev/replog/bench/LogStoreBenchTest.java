package dev.replog.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.replog.bench.LogStoreBench.Options;
import dev.replog.bench.LogStoreBench.Result;
import dev.replog.bench.LogStoreBench.WriterKind;
import dev.replog.common.log.FsyncMode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store micro-benchmark's options and runs (short ones: figures are not asserted, only what they count). */
class LogStoreBenchTest {

    @TempDir
    Path dir;

    @Test
    void optionsDefaultToEveryModeBothWritersAndOneAndSixtyFourAppenders() {
        Options options = LogStoreBench.parse(new String[0]);

        assertThat(options.modes()).containsExactly(FsyncMode.GROUP, FsyncMode.ALWAYS, FsyncMode.NONE);
        assertThat(options.writers()).containsExactly(WriterKind.BATCHING, WriterKind.LOCKED);
        assertThat(options.appenders()).containsExactly(1, 64);
        assertThat(LogStoreBench.parse(new String[] {"--writers", "locked", "--appenders=4"}))
                .satisfies(o -> assertThat(o.writers()).containsExactly(WriterKind.LOCKED))
                .satisfies(o -> assertThat(o.appenders()).containsExactly(4));
        assertThatThrownBy(() -> LogStoreBench.parse(new String[] {"--writers", "fast"}))
                .hasMessageContaining("batching and/or locked");
    }

    @Test
    void theBatchingWriterCoversManyWaitingAppendsWithOneFsyncAndEveryAppendIsRecovered() throws Exception {
        Result result = runForASecond(FsyncMode.GROUP, 16, WriterKind.BATCHING);

        // sixteen appenders wait at once: the entries that queue during one fsync share the next
        assertThat(result.fsyncs()).isPositive().isLessThan(result.totalAppends() / 2);
    }

    @Test
    void theLockedWriterAppendsOneEntryPerCallAndEveryAppendIsRecovered() throws Exception {
        Result result = runForASecond(FsyncMode.ALWAYS, 4, WriterKind.LOCKED);

        assertThat(result.fsyncs()).as("always: an fsync per append").isGreaterThanOrEqualTo(result.totalAppends());
    }

    /** One second, no warm-up; checks what every run must show: appends counted, all of them recovered. */
    private Result runForASecond(FsyncMode mode, int appenders, WriterKind writer) throws Exception {
        Options options = new Options(1, 0, List.of(mode), List.of(appenders), List.of(writer), 100, dir);
        Result result = LogStoreBench.run(options, mode, appenders, writer);
        assertThat(result.measuredAppends()).isPositive();
        assertThat(result.recoveredSeq()).isEqualTo(result.totalAppends());
        return result;
    }
}
