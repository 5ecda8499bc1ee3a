package dev.replog.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The check that each acknowledged message has a seq of its own. */
class SeqLedgerTest {

    @Test
    void distinctSeqsAcrossCallersPass() {
        SeqLedger ledger = new SeqLedger();
        SeqLedger.Seqs a = ledger.caller();
        SeqLedger.Seqs b = ledger.caller();
        for (long seq = 1; seq <= 10_000; seq++) { // more than one growth of the arrays
            (seq % 3 == 0 ? a : b).add(seq);
        }

        SeqLedger.Check check = ledger.check();

        assertThat(check.passed()).isTrue();
        assertThat(check.seqs()).isEqualTo(10_000);
        assertThat(check).hasToString("10000 acknowledged messages, each with its own seq");
    }

    @Test
    void aSeqAnsweredToTwoCallersOrTwiceToOneIsADuplicate() {
        SeqLedger ledger = new SeqLedger();
        SeqLedger.Seqs a = ledger.caller();
        SeqLedger.Seqs b = ledger.caller();
        a.add(5);
        a.add(7);
        b.add(7); // another caller
        b.add(9);
        b.add(9); // the same caller twice
        b.add(9);

        SeqLedger.Check check = ledger.check();

        assertThat(check.passed()).isFalse();
        assertThat(check.seqs()).isEqualTo(6);
        assertThat(check.duplicates()).isEqualTo(3);
        assertThat(check.firstDuplicate()).isEqualTo(7);
        assertThat(check).hasToString("3 DUPLICATE seqs among 6 acknowledged messages (first: seq 7)");
    }

    @Test
    void noSeqsPass() {
        assertThat(new SeqLedger().check().passed()).isTrue();
    }
}
