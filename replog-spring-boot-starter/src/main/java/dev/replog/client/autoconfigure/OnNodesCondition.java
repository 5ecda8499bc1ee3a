package dev.replog.client.autoconfigure;

import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when {@code replog.client.nodes} names at least one node, in any form Spring binds a list
 * from (comma-separated, {@code nodes[0]}, a YAML list, {@code REPLOG_CLIENT_NODES}), which
 * {@code @ConditionalOnProperty} alone would not see.
 */
class OnNodesCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        List<String> nodes = Binder.get(context.getEnvironment())
                .bind("replog.client.nodes", Bindable.listOf(String.class))
                .orElse(List.of());
        return nodes.stream().anyMatch(node -> !node.isBlank())
                ? ConditionOutcome.match("replog.client.nodes names " + nodes.size() + " node(s)")
                : ConditionOutcome.noMatch("replog.client.nodes is not set");
    }
}
