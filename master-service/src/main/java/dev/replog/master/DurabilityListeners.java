package dev.replog.master;

import dev.replog.common.web.LogTail;
import dev.replog.master.log.MessageLog;
import dev.replog.master.replication.ClusterMembers;
import dev.replog.master.writeconcern.AckTracker;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The one list of listeners of "durable up to seq N", which only {@link MessageLog} announces, in
 * its order: the ack tracker (waiting writes complete), replication (the replicators ship), the live
 * tail (followers of {@code GET /messages/stream} see the entries). Added once every bean exists,
 * before anything starts (recovery, heartbeats) or a request is served.
 */
@Configuration(proxyBeanMethods = false)
class DurabilityListeners {

    @Bean
    SmartInitializingSingleton addDurabilityListeners(MessageLog messages, AckTracker tracker, ClusterMembers members,
            LogTail tail) {
        return () -> {
            messages.addDurabilityListener(tracker);
            messages.addDurabilityListener(members);
            messages.addDurabilityListener(tail::advanced);
        };
    }
}
