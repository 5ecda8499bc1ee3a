package dev.replog.master.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecondaryNodeTest {

    @Test
    void namedAndBareEntriesAreParsedInOrderWithSlotsFromOne() {
        List<SecondaryNode> nodes = SecondaryNode.parseAll(
                List.of("secondary=http://localhost:8081", " http://other:8082 ", ""));
        assertThat(nodes).containsExactly(
                new SecondaryNode(1, "secondary", URI.create("http://localhost:8081")),
                new SecondaryNode(2, "other:8082", URI.create("http://other:8082")));
    }

    @Test
    void duplicateNamesAndNonUrlsAreRefused() {
        assertThatThrownBy(() -> SecondaryNode.parseAll(List.of("a=http://x:1", "a=http://y:2")))
                .hasMessageContaining("duplicate");
        assertThatThrownBy(() -> SecondaryNode.parseAll(List.of("a=not a url")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
