package dev.replog.client.tail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseDecoderTest {

    @Test
    void eventsEndAtAnEmptyLineAndCarryTheirIdAndType() {
        List<SseEvent> events = new SseDecoder().feed(bytes(
                "id:1\nevent:entry\ndata:{\"seq\":1}\n\nid: 2\nevent: entry\ndata: {\"seq\":2}\n\n"));

        assertThat(events).containsExactly(new SseEvent("1", "entry", "{\"seq\":1}"),
                new SseEvent("2", "entry", "{\"seq\":2}"));
    }

    @Test
    void keepAliveCommentsAreIgnored() {
        List<SseEvent> events = new SseDecoder().feed(bytes(":keep-alive\n\n: still here\n\nid:3\ndata:x\n\n"));

        assertThat(events).containsExactly(new SseEvent("3", null, "x"));
    }

    @Test
    void anEventSplitAnywhereAcrossChunksIsDecodedWhole() {
        byte[] stream = bytes("id:1\r\nevent:entry\r\ndata:{\"message\":\"h\u00e9llo \u20ac \uD83D\uDE00\"}\r\n\r\n");
        for (int cut = 1; cut < stream.length; cut++) {
            SseDecoder decoder = new SseDecoder();
            List<SseEvent> events = new ArrayList<>(decoder.feed(Arrays.copyOfRange(stream, 0, cut)));
            events.addAll(decoder.feed(Arrays.copyOfRange(stream, cut, stream.length)));

            assertThat(events).as("cut at byte %d", cut)
                    .containsExactly(new SseEvent("1", "entry", "{\"message\":\"h\u00e9llo \u20ac \uD83D\uDE00\"}"));
        }
    }

    @Test
    void dataOnSeveralLinesIsJoinedWithNewlines() {
        assertThat(new SseDecoder().feed(bytes("data:a\ndata:b\n\n"))).containsExactly(new SseEvent(null, null, "a\nb"));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
