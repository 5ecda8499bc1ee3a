package dev.replog.sync.paxos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

class FileAcceptorStoreTest {

    private final JsonMapper json = JsonMapper.builder().build();

    @TempDir
    Path dataDir;

    @Test
    void promisesAndAcceptedValuesSurviveAReopen() {
        AcceptorCore first = new AcceptorCore(new FileAcceptorStore(dataDir, json));
        assertThat(first.prepare(new Messages.Prepare("seq.ids", new Ballot(3, 1))).ok()).isTrue();
        assertThat(first.accept(new Messages.Accept("seq.ids", new Ballot(3, 1),
                JsonNodeFactory.instance.objectNode().put("next", 42))).ok()).isTrue();
        assertThat(first.prepare(new Messages.Prepare("lock.res", new Ballot(7, 2))).ok()).isTrue();

        AcceptorCore reopened = new AcceptorCore(new FileAcceptorStore(dataDir, json));

        assertThat(reopened.keys()).containsExactly("lock.res", "seq.ids");
        assertThat(reopened.stateOf("seq.ids").value().get("next").asLong()).isEqualTo(42);
        assertThat(reopened.stateOf("seq.ids").accepted()).isEqualTo(new Ballot(3, 1));
        assertThat(reopened.stateOf("lock.res").promised()).isEqualTo(new Ballot(7, 2));
        assertThat(reopened.prepare(new Messages.Prepare("lock.res", new Ballot(7, 1))).ok())
                .as("a promise made before the restart still binds").isFalse();
        assertThat(reopened.maxBallot()).isEqualTo(new Ballot(7, 2));
    }

    @Test
    void theGenerationFloorSurvivesAReopenAndBindsKeysNeverSeen() {
        AcceptorCore first = new AcceptorCore(new FileAcceptorStore(dataDir, json));
        first.fence(Ballot.floorOf(3));

        AcceptorCore reopened = new AcceptorCore(new FileAcceptorStore(dataDir, json));

        assertThat(reopened.floor()).isEqualTo(Ballot.floorOf(3));
        assertThat(reopened.keys()).as("the floor file is not a key").isEmpty();
        assertThat(reopened.prepare(new Messages.Prepare("seq.new", new Ballot(99, 1))).ok())
                .as("a ballot of an older generation on a key never seen").isFalse();
        assertThat(reopened.accept(new Messages.Accept("seq.new", new Ballot(99, 1), null)).ok()).isFalse();
        assertThat(reopened.prepare(new Messages.Prepare("seq.new", new Ballot(Ballot.floorOf(3).counter() + 1, 1)))
                .ok()).isTrue();
    }

    @Test
    void anAcceptorRefusesLowerBallotsAndAcceptsItsPromisedOne() {
        AcceptorCore core = new AcceptorCore(new AcceptorStore.InMemory());
        assertThat(core.prepare(new Messages.Prepare("seq.a", new Ballot(2, 2))).ok()).isTrue();
        Messages.Promise refused = core.prepare(new Messages.Prepare("seq.a", new Ballot(2, 1)));
        assertThat(refused.ok()).isFalse();
        assertThat(refused.promised()).isEqualTo(new Ballot(2, 2));
        assertThat(core.prepare(new Messages.Prepare("seq.a", new Ballot(2, 2))).ok())
                .as("a duplicate prepare is not promised twice").isFalse();
        assertThat(core.accept(new Messages.Accept("seq.a", new Ballot(1, 3), null)).ok()).isFalse();
        assertThat(core.accept(new Messages.Accept("seq.a", new Ballot(2, 2), null)).ok()).isTrue();
        assertThat(core.accept(new Messages.Accept("seq.a", new Ballot(3, 1), null)).ok())
                .as("an accept above the promise is taken").isTrue();
    }

    @Test
    void aCorruptStateFileStopsTheNodeFromStarting() throws Exception {
        AcceptorCore core = new AcceptorCore(new FileAcceptorStore(dataDir, json));
        core.prepare(new Messages.Prepare("seq.ids", new Ballot(1, 1)));
        Path file = dataDir.resolve("paxos/seq.ids.json");
        Files.writeString(file, Files.readString(file).replace("\"counter\":1", "\"counter\":9"));

        assertThatThrownBy(() -> new AcceptorCore(new FileAcceptorStore(dataDir, json)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("seq.ids.json")
                .hasMessageContaining("refusing to start");
    }

    @Test
    void anEmptyOrGarbledStateFileStopsTheNodeFromStarting() throws Exception {
        Files.createDirectories(dataDir.resolve("paxos"));
        Files.writeString(dataDir.resolve("paxos/seq.ids.json"), "");
        assertThatThrownBy(() -> new AcceptorCore(new FileAcceptorStore(dataDir, json)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("unreadable");

        Files.writeString(dataDir.resolve("paxos/seq.ids.json"), "{\"key\":");
        assertThatThrownBy(() -> new AcceptorCore(new FileAcceptorStore(dataDir, json)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("unreadable");
    }

    @Test
    void aSaveTheDiskRefusesAnswers503AndLeavesTheOldStateInForce() throws Exception {
        AcceptorCore core = new AcceptorCore(new FileAcceptorStore(dataDir, json));
        core.prepare(new Messages.Prepare("seq.ids", new Ballot(1, 1)));
        // the temporary file's name taken by a directory: the OS refuses the write, as a full disk would
        Path inTheWay = Files.createDirectory(dataDir.resolve("paxos/seq.ids.json.tmp"));

        assertThatThrownBy(() -> core.prepare(new Messages.Prepare("seq.ids", new Ballot(2, 1))))
                .isInstanceOfSatisfying(AcceptorStorageException.class, refused -> {
                    assertThat(refused.status().value()).isEqualTo(503);
                    assertThat(refused.getMessage()).contains("neither promised nor accepted");
                });
        assertThat(core.stateOf("seq.ids").promised()).as("in memory").isEqualTo(new Ballot(1, 1));
        assertThat(new AcceptorCore(new FileAcceptorStore(dataDir, json)).stateOf("seq.ids").promised())
                .as("on disk").isEqualTo(new Ballot(1, 1));

        Files.deleteIfExists(inTheWay); // a reopen clears leftover temporary files anyway
        core.prepare(new Messages.Prepare("seq.ids", new Ballot(2, 1)));
        assertThat(new AcceptorCore(new FileAcceptorStore(dataDir, json)).stateOf("seq.ids").promised())
                .as("once the disk takes writes again").isEqualTo(new Ballot(2, 1));
    }

    @Test
    void aSaveInterruptedBeforeItsRenameLeavesTheOldStateInForce() throws Exception {
        AcceptorCore core = new AcceptorCore(new FileAcceptorStore(dataDir, json));
        core.prepare(new Messages.Prepare("seq.ids", new Ballot(1, 1)));
        Files.writeString(dataDir.resolve("paxos/seq.ids.json.tmp"), "{\"torn");

        AcceptorCore reopened = new AcceptorCore(new FileAcceptorStore(dataDir, json));

        assertThat(reopened.stateOf("seq.ids").promised()).isEqualTo(new Ballot(1, 1));
        assertThat(dataDir.resolve("paxos/seq.ids.json.tmp")).doesNotExist();
    }

    @Test
    void membershipIsRememberedAcrossReopens() {
        FileAcceptorStore store = new FileAcceptorStore(dataDir, json);
        assertThat(store.isMember()).isFalse();
        store.markMember();
        assertThat(new FileAcceptorStore(dataDir, json).isMember()).isTrue();
    }
}
