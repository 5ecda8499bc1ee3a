package dev.replog.faulty;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * TEST-ONLY defects under {@code replog.testing.*} (also {@code REPLOG_TESTING_ACK_BEFORE_STORE}) that
 * break replog's guarantees on purpose, so that the chaos suite can prove its checker notices; all
 * off by default. Only the faulty-secondary has them: never set them outside a test.
 *
 * @param ackBeforeStore answer every append at once with the batch's last seq as the watermark,
 *                       instead of storing it ({@link AckBeforeStore})
 */
@ConfigurationProperties(prefix = "replog.testing")
public record TestingProperties(@DefaultValue("false") boolean ackBeforeStore) {
}
