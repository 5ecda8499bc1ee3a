package dev.replog.master.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.replog.common.protocol.WriteConcern;
import dev.replog.common.web.BadRequestException;
import dev.replog.common.web.PayloadTooLargeException;
import dev.replog.master.config.MasterProperties;
import dev.replog.master.write.BatchCommand;
import dev.replog.master.write.WriteCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import dev.replog.common.web.ClusterSettings;
import dev.replog.common.web.StreamSettings;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.json.JsonMapper;

class WriteRequestParserTest {

    private final WriteRequestParser parser = new WriteRequestParser(JsonMapper.builder().build(),
            new MasterProperties("master", Path.of("data"), List.of(), DataSize.ofBytes(16),
                    new MasterProperties.Heartbeat(Duration.ofSeconds(1), 3, Duration.ofSeconds(1)),
                    new MasterProperties.Retry(Duration.ofMillis(50), Duration.ofSeconds(2), 2.0, 0.5, 0),
                    new MasterProperties.Replication(1000, DataSize.ofMegabytes(4), Duration.ofSeconds(10), 4, Duration.ofMillis(5)),
                    new MasterProperties.Ids(1000, Duration.ofSeconds(2)), new MasterProperties.Storage("group", DataSize.ofMegabytes(64)),
                    new MasterProperties.Sync(List.of(), Duration.ofSeconds(2), Duration.ofMillis(100), Duration.ofSeconds(2)),
                    new MasterProperties.Batch(3, DataSize.ofBytes(40)), new ClusterSettings(null), "",
                    new MasterProperties.Lease("replog-master", Duration.ofSeconds(2), Duration.ofMillis(400), Duration.ofSeconds(1), true),
                    new StreamSettings(Duration.ofSeconds(15))));

    @Test
    void wDefaultsToOne() {
        WriteCommand command = parser.parse("{\"message\":\"a\"}", null, null, null);
        assertThat(command.w()).isEqualTo(WriteConcern.ONE);
        assertThat(command.timeout()).isNull();
    }

    @Test
    void wAndTimeoutMayComeFromTheQuery() {
        WriteCommand command = parser.parse("{\"message\":\"a\"}", "majority", "250", "key-1");
        assertThat(command.w()).isEqualTo(WriteConcern.majority());
        assertThat(command.timeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(command.idempotencyKey()).isEqualTo("key-1");
    }

    @Test
    void theSameWInBodyAndQueryIsAccepted() {
        assertThat(parser.parse("{\"message\":\"a\",\"w\":2}", "2", null, null).w()).isEqualTo(WriteConcern.nodes(2));
    }

    @ParameterizedTest(name = "{0} is refused")
    @CsvSource(delimiter = '|', value = {
            "{\"message\":5}",
            "{\"w\":1}",
            "{\"message\":\"a\",\"w\":0}",
            "{\"message\":\"a\",\"w\":true}",
            "{\"message\":\"a\",\"w\":1.5}",
            "{\"message\":\"a\",\"w\":\"most\"}",
            "{\"message\":\"a\",\"w\":99999999999}",
            "{\"message\":\"a\",\"timeoutMs\":-1}",
            "{\"message\":\"a\",\"timeoutMs\":\"x\"}",
            "{\"message\":\"a\",\"extra\":1}",
            "[1,2]",
            "\"text\"",
            "{\"message\":",
    })
    void malformedBodiesAreBadRequests(String body) {
        assertThatThrownBy(() -> parser.parse(body, null, null, null)).isInstanceOf(BadRequestException.class);
    }

    @ParameterizedTest(name = "{0} is refused: {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"message\":\"a\",\"w\":1,\"w\":3}|Duplicate Object property \"w\"",
            "{\"message\":\"a\",\"message\":\"b\"}|Duplicate Object property \"message\"",
            "{\"message\":\"a\",\"timeoutMs\":5,\"timeoutMs\":5}|Duplicate Object property \"timeoutMs\"",
            "{\"message\":\"a\",\"w\":\" 2\"}|was \" 2\"",
            "{\"message\":\"a\",\"w\":\"majority \"}|was \"majority \"",
            "{\"message\":\"a\",\"w\":\"MAJORITY\"}|was \"MAJORITY\"",
            "{\"message\":\"a\",\"w\":\"02\"}|was \"02\"",
            "{\"message\":\"a\",\"w\":\"2\"}|send 2 without quotes",
    })
    void aDuplicatedKeyOrANonCanonicalWIsRefusedNotCorrected(String body, String detail) {
        assertThatThrownBy(() -> parser.parse(body, null, null, null))
                .isInstanceOf(BadRequestException.class).hasMessageContaining(detail);
    }

    @Test
    void aDuplicatedKeyInABatchIsRefused() {
        assertThatThrownBy(() -> parser.parseBatch("{\"messages\":[\"a\"],\"messages\":[\"b\"]}", null, null, null))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("Duplicate Object property \"messages\"");
        assertThatThrownBy(() -> parser.parseBatch("{\"messages\":[\"a\"],\"w\":1,\"w\":1}", null, null, null))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("\"w\"");
    }

    @ParameterizedTest(name = "?w={0} is refused")
    @ValueSource(strings = {" 2", "2 ", "02", "+2", "majority ", " all", "All", ""})
    void aNonCanonicalWInTheQueryIsRefused(String w) {
        assertThatThrownBy(() -> parser.parse("{\"message\":\"a\"}", w, null, null))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("was \"" + w + "\"");
        assertThatThrownBy(() -> parser.parseBatch("{\"messages\":[\"a\"]}", w, null, null))
                .isInstanceOf(BadRequestException.class);
    }

    @ParameterizedTest(name = "?timeoutMs={0} is refused")
    @ValueSource(strings = {" 5", "5 ", "+5", "05", "-5", "5.0", "1e3", "", "99999999999999999999"})
    void aNonCanonicalTimeoutInTheQueryIsRefused(String timeoutMs) {
        assertThatThrownBy(() -> parser.parse("{\"message\":\"a\"}", null, timeoutMs, null))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("timeoutMs");
    }

    @Test
    void theDocumentedSpellingsOfWAndTimeoutAreTaken() {
        assertThat(parser.parse("{\"message\":\"a\",\"w\":\"majority\"}", "majority", "5", null).w())
                .isEqualTo(WriteConcern.majority());
        assertThat(parser.parse("{\"message\":\"a\",\"w\":\"all\"}", null, null, null).w()).isEqualTo(WriteConcern.all());
        assertThat(parser.parse("{\"message\":\"a\",\"w\":3,\"timeoutMs\":3600000}", "3", "3600000", null).timeout())
                .isEqualTo(Duration.ofHours(1));
    }

    @Test
    void anEmptyMessageIsAMessage() {
        assertThat(parser.parse("{\"message\":\"\"}", null, null, null).message()).isEmpty();
        assertThat(parser.parseBatch("{\"messages\":[\"\",\"a\"]}", null, null, null).messages()).containsExactly("", "a");
    }

    @Test
    void aMessageThatIsNotAStringIsNamedInWordsAndNullIsNotMissing() {
        assertThatThrownBy(() -> parser.parse("{\"message\":42}", null, null, null))
                .isInstanceOf(BadRequestException.class).hasMessage("\"message\" must be a string, was a number");
        assertThatThrownBy(() -> parser.parse("{\"message\":null}", null, null, null))
                .isInstanceOf(BadRequestException.class).hasMessage("\"message\" must be a string, was null");
        assertThatThrownBy(() -> parser.parse("{\"w\":1}", null, null, null))
                .isInstanceOf(BadRequestException.class).hasMessage("\"message\" is required");
        assertThatThrownBy(() -> parser.parseBatch("{\"messages\":[\"a\",{}]}", null, null, null))
                .isInstanceOf(BadRequestException.class).hasMessage("messages[1] must be a string, was an object");
        assertThatThrownBy(() -> parser.parseBatch("{\"messages\":true}", null, null, null))
                .isInstanceOf(BadRequestException.class).hasMessage("\"messages\" must be an array of strings, was true");
    }

    @Test
    void bodyAndQueryDisagreeingOnWIsABadRequest() {
        assertThatThrownBy(() -> parser.parse("{\"message\":\"a\",\"w\":\"all\"}", "1", null, null))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("query");
    }

    @Test
    void anEmptyBodyIsABadRequest() {
        assertThatThrownBy(() -> parser.parse(" ", null, null, null)).isInstanceOf(BadRequestException.class);
        assertThatThrownBy(() -> parser.parse((byte[]) null, null, null, null)).isInstanceOf(BadRequestException.class);
    }

    @Test
    void aMessageOverTheLimitInUtf8BytesIsTooLarge() {
        assertThat(parser.parse("{\"message\":\"" + "x".repeat(16) + "\"}", null, null, null).message()).hasSize(16);
        // six characters, eighteen UTF-8 bytes
        assertThatThrownBy(() -> parser.parse("{\"message\":\"" + "€".repeat(6) + "\"}", null, null, null))
                .isInstanceOf(PayloadTooLargeException.class);
    }

    @Test
    void anOverlongIdempotencyKeyIsABadRequest() {
        assertThatThrownBy(() -> parser.parse("{\"message\":\"a\"}", null, null, "k".repeat(129)))
                .isInstanceOf(BadRequestException.class);
    }

    @Test
    void invalidUtf8IsABadRequestNotAReplacementCharacter() {
        byte[] body = {'{', '"', 'm', 'e', 's', 's', 'a', 'g', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        assertThatThrownBy(() -> parser.parse(body, null, null, null)).isInstanceOf(BadRequestException.class);
    }

    @Test
    void anUnpairedSurrogateIsABadRequestButAPairIsAMessage() {
        assertThatThrownBy(() -> parser.parse("{\"message\":\"a\\ud800b\"}", null, null, null))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("surrogate");
        assertThatThrownBy(() -> parser.parse("{\"message\":\"\\udc00\"}", null, null, null))
                .isInstanceOf(BadRequestException.class);
        assertThat(parser.parse("{\"message\":\"\\ud83e\\udd9c\"}", null, null, null).message()).isEqualTo("🦜");
    }

    @Test
    void aBatchItemWithAnUnpairedSurrogateIsABadRequest() {
        assertThatThrownBy(() -> parser.parseBatch("{\"messages\":[\"ok\",\"a\\ud800\"]}", null, null, null))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("messages[1]");
    }

    @Test
    void aBatchTakesMessagesInArrayOrderWithWAndTimeoutFromBodyOrQuery() {
        BatchCommand command = parser.parseBatch("{\"messages\":[\"b\",\"a\"],\"w\":2}", null, "100", "key");
        assertThat(command.messages()).containsExactly("b", "a");
        assertThat(command.w()).isEqualTo(WriteConcern.nodes(2));
        assertThat(command.timeout()).isEqualTo(Duration.ofMillis(100));
        assertThat(command.idempotencyKey()).isEqualTo("key");
        assertThat(parser.parseBatch("{\"messages\":[\"a\"]}", "all", null, null).w()).isEqualTo(WriteConcern.all());
    }

    @ParameterizedTest(name = "batch {0} is refused")
    @CsvSource(delimiter = '|', value = {
            "{\"messages\":[]}",
            "{\"messages\":[\"a\",5]}",
            "{\"messages\":[\"a\",null]}",
            "{\"messages\":\"a\"}",
            "{\"message\":\"a\"}",
            "{\"messages\":[\"a\"],\"w\":0}",
            "{\"messages\":[\"a\"],\"extra\":1}",
            "[\"a\"]",
    })
    void malformedBatchesAreBadRequests(String body) {
        assertThatThrownBy(() -> parser.parseBatch(body, null, null, null)).isInstanceOf(BadRequestException.class);
    }

    @Test
    void aBatchOverTheMessageCountOrByteLimitsOrWithAnOversizedMessageIsTooLarge() {
        assertThat(parser.parseBatch("{\"messages\":[\"a\",\"b\",\"c\"]}", null, null, null).messages()).hasSize(3);
        assertThatThrownBy(() -> parser.parseBatch("{\"messages\":[\"a\",\"b\",\"c\",\"d\"]}", null, null, null))
                .isInstanceOf(PayloadTooLargeException.class).hasMessageContaining("at most 3 messages");
        String sixteen = "\"" + "x".repeat(16) + "\"";
        assertThatThrownBy(() -> parser.parseBatch("{\"messages\":[" + sixteen + "," + sixteen + "," + sixteen + "]}",
                null, null, null)).isInstanceOf(PayloadTooLargeException.class).hasMessageContaining("replog.batch.max-bytes");
        assertThatThrownBy(() -> parser.parseBatch("{\"messages\":[\"a\",\"" + "€".repeat(6) + "\"]}", null, null, null))
                .isInstanceOf(PayloadTooLargeException.class).hasMessageContaining("messages[1]");
    }
}
