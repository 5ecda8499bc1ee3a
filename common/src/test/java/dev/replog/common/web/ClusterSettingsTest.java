package dev.replog.common.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ClusterSettingsTest {

    private static final String SECRET = "s3cret-Value_42";

    @Test
    void withoutASecretEveryCallerIsAdmitted() {
        ClusterSettings open = new ClusterSettings(null);
        assertThat(open.secured()).isFalse();
        assertThat(open.admits(null)).isTrue();
        assertThat(open.admits("anything")).isTrue();
        assertThat(new ClusterSettings("  ").secured()).as("blank counts as unset").isFalse();
    }

    @Test
    void withASecretOnlyTheExactValueIsAdmitted() {
        ClusterSettings secured = new ClusterSettings(SECRET);
        assertThat(secured.admits(SECRET)).isTrue();
        assertThat(secured.admits(null)).isFalse();
        assertThat(secured.admits("")).isFalse();
        assertThat(secured.admits(SECRET + "x")).isFalse();
        assertThat(secured.admits(SECRET.substring(1))).isFalse();
        assertThat(secured.admits(SECRET.toUpperCase())).isFalse();
    }

    @Test
    void toStringNeverShowsTheSecret() {
        assertThat(new ClusterSettings(SECRET).toString()).doesNotContain(SECRET).contains("******");
        assertThat(new ClusterSettings(null).toString()).contains("unset");
    }

    @Test
    void aSecretThatCannotTravelInAHeaderIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> new ClusterSettings("two words"))
                .hasMessageContaining("replog.cluster.secret")
                .hasMessageNotContaining("two words");
        assertThatThrownBy(() -> new ClusterSettings("caf\u00e9")).hasMessageContaining("visible ASCII");
    }
}
