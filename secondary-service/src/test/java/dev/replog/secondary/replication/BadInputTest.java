package dev.replog.secondary.replication;

import static dev.replog.secondary.replication.Batches.batch;
import static dev.replog.secondary.replication.Batches.entries;
import static org.assertj.core.api.Assertions.assertThat;

import dev.replog.common.protocol.AppendResponse;
import dev.replog.common.protocol.Entry;
import dev.replog.common.protocol.ReplicationPaths;
import dev.replog.secondary.SecondaryWebTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Bad input gets a clear problem+json answer and changes nothing. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"replog.max-message-bytes=16B", "spring.reactor.netty.shutdown-quiet-period=0s"})
@AutoConfigureWebTestClient
class BadInputTest extends SecondaryWebTest {

    @BeforeEach
    void theLogHoldsTwoEntries() {
        // a duplicate after the first test: answered 200 all the same
        client.post().uri(ReplicationPaths.APPEND).bodyValue(batch(1, 1, 2)).exchange()
                .expectStatus().isOk()
                .expectBody(AppendResponse.class).isEqualTo(new AppendResponse(2, 1));
    }

    @AfterEach
    void theLogIsUnchanged() {
        client.get().uri("/messages").exchange()
                .expectStatus().isOk()
                .expectBodyList(Entry.class).isEqualTo(entries(1, 2));
        client.get().uri(ReplicationPaths.STATUS).exchange()
                .expectBody().jsonPath("$.ackedSeq").isEqualTo(2).jsonPath("$.epoch").isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "{\"epoch\":1,",
            "not json",
            "[]",
            "{\"epoch\":\"one\",\"prevSeq\":2,\"prevId\":20,\"entries\":[]}",
            "{\"epoch\":1,\"prevSeq\":2,\"prevId\":20,\"entries\":{}}",
            "{\"epoch\":0,\"prevSeq\":2,\"prevId\":20,\"entries\":[]}",
            "{\"prevSeq\":2,\"prevId\":20,\"entries\":[]}",
            "{\"epoch\":1,\"prevSeq\":-1,\"prevId\":0,\"entries\":[]}",
            "{\"epoch\":1,\"prevSeq\":2,\"prevId\":0,\"entries\":[]}",
            "{\"epoch\":1,\"prevSeq\":2,\"prevId\":20,\"entries\":[{\"seq\":4,\"id\":40,\"message\":\"skips 3\"}]}",
            "{\"epoch\":1,\"prevSeq\":2,\"prevId\":20,\"entries\":[{\"seq\":3,\"id\":20,\"message\":\"id not increasing\"}]}",
            "{\"epoch\":1,\"prevSeq\":2,\"prevId\":20,\"entries\":[{\"seq\":3,\"id\":30}]}",
            "{\"epoch\":1,\"prevSeq\":2,\"prevId\":20,\"entries\":[{\"seq\":3,\"id\":30,\"message\":\"a\"},"
                    + "{\"seq\":3,\"id\":31,\"message\":\"repeated seq\"}]}",
    })
    void aMalformedAppendIsAnswered400ProblemJson(String body) {
        appendRefused(body).jsonPath("$.status").isEqualTo(400).jsonPath("$.title").exists();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "{\"epoch\":1,\"epoch\":1,\"prevSeq\":2,\"prevId\":20,\"entries\":[]}",
            "{\"epoch\":1,\"prevSeq\":2,\"prevId\":20,\"entries\":[{\"seq\":3,\"id\":30,\"message\":\"a\",\"message\":\"b\"}]}",
    })
    void anAppendWithAKeyGivenTwiceIsAnswered400ProblemJsonSayingSo(String body) {
        appendRefused(body).jsonPath("$.detail").value(detail -> assertThat((String) detail)
                .contains("Duplicate Object property"));
    }

    /** The body of the 400 problem+json answer to an append of {@code body}. */
    private WebTestClient.BodyContentSpec appendRefused(String body) {
        return client.post().uri(ReplicationPaths.APPEND)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody();
    }

    @Test
    void anAppendWithoutABodyIsAnswered400ProblemJson() {
        client.post().uri(ReplicationPaths.APPEND)
                .contentType(MediaType.APPLICATION_JSON)
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void anAppendThatIsNotJsonIsAnswered415ProblemJson() {
        client.post().uri(ReplicationPaths.APPEND)
                .contentType(MediaType.TEXT_PLAIN)
                .bodyValue("{\"epoch\":1,\"prevSeq\":2,\"prevId\":20,\"entries\":[]}")
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void aMessageOverTheSizeLimitIsAnswered413ProblemJson() {
        client.post().uri(ReplicationPaths.APPEND)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"epoch\":1,\"prevSeq\":2,\"prevId\":20,\"entries\":"
                        + "[{\"seq\":3,\"id\":30,\"message\":\"seventeen bytes!!\"}]}")
                .exchange()
                .expectStatus().isEqualTo(413)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void aRefusalIsProblemJsonEvenWhenTheClientAcceptsOnlyJson() {
        client.post().uri(ReplicationPaths.APPEND)
                .accept(MediaType.APPLICATION_JSON)
                .bodyValue(batch(1, 5, 5))
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.ackedSeq").isEqualTo(2);
        // the gap batch is kept aside, unseen: theLogIsUnchanged() checks it
    }

    @Test
    void anUnknownPathIsAnswered404ProblemJson() {
        client.get().uri("/replication/nothing-here").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        client.post().uri("/no/such/path").bodyValue("{}").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void aWrongMethodIsAnswered405ProblemJson() {
        client.get().uri(ReplicationPaths.APPEND).exchange()
                .expectStatus().isEqualTo(HttpStatus.METHOD_NOT_ALLOWED)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/messages?from=x", "/messages?limit=-1", "/messages?limit=10001", "/messages/0",
            "/messages/abc"})
    void aBadReadIsAnswered400ProblemJson(String uri) {
        client.get().uri(uri).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void aSeqThisReplicaDoesNotShowIsAnswered404ProblemJson() {
        client.get().uri("/messages/3").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").isEqualTo("no entry with seq 3");
    }
}
