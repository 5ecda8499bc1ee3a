package dev.replog.client.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodesTest {

    private static final URI FROM = URI.create("http://127.0.0.1:8081");

    @Test
    void nodeUrlsLoseTheirTrailingSlashAndRepeatsAreDropped() {
        assertThat(Nodes.parse(List.of("http://a:1/", " http://b:2 ", "http://a:1"), "nodes"))
                .containsExactly(URI.create("http://a:1"), URI.create("http://b:2"));
    }

    @Test
    void anythingButAnAbsoluteHttpUrlIsRefused() {
        assertThatThrownBy(() -> Nodes.base("localhost:8080")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Nodes.base("ftp://a:1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Nodes.parse(List.of(), "nodes")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRedirectTargetIsTheNodeWhateverFormTheLocationTakes() {
        URI master = URI.create("http://127.0.0.1:8083");
        assertThat(Nodes.redirectTarget(FROM, "http://127.0.0.1:8083", "/messages")).isEqualTo(master);
        assertThat(Nodes.redirectTarget(FROM, "http://127.0.0.1:8083/", "/messages")).isEqualTo(master);
        assertThat(Nodes.redirectTarget(FROM, "http://127.0.0.1:8083/messages", "/messages")).isEqualTo(master);
        assertThat(Nodes.redirectTarget(FROM, "http://127.0.0.1:8083/messages/batch?w=2", "/messages/batch"))
                .isEqualTo(master);
        assertThat(Nodes.redirectTarget(FROM, "/messages", "/messages")).isEqualTo(FROM);
    }
}
