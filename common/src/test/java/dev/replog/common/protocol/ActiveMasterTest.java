package dev.replog.common.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ActiveMasterTest {

    @Test
    void theHeaderCarriesEpochAndUrlAndReadsBack() {
        ActiveMaster master = new ActiveMaster("http://localhost:8083/", 7);
        assertThat(master.headerValue()).isEqualTo("7 http://localhost:8083");
        assertThat(ActiveMaster.fromHeader(master.headerValue())).isEqualTo(new ActiveMaster("http://localhost:8083", 7));
    }

    @Test
    void aMissingOrMalformedHeaderNamesNoMaster() {
        assertThat(ActiveMaster.fromHeader(null)).isNull();
        assertThat(ActiveMaster.fromHeader("http://localhost:8080")).isNull();
        assertThat(ActiveMaster.fromHeader("seven http://localhost:8080")).isNull();
        assertThat(ActiveMaster.fromHeader("-1 http://localhost:8080")).isNull();
        assertThat(ActiveMaster.fromHeader("3 ")).isNull();
    }

    @Test
    void aUrlWithSpacesIsRefused() {
        assertThatThrownBy(() -> new ActiveMaster("http://a b", 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
