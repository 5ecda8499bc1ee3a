package dev.replog.cluster;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The JUnit side of the cluster fixture: clears the test class's log directory before it runs,
 * prints the tail of every node's log when a test (or a class-level setup) fails, and, after the
 * class's own {@code @AfterAll} methods, kills every node process the class started, so a test
 * class needs no {@code @AfterAll} to end its cluster. A JVM shutdown hook in {@link NodeProcess}
 * covers aborts.
 */
final class ClusterExtension implements BeforeAllCallback, AfterAllCallback, TestWatcher,
        LifecycleMethodExecutionExceptionHandler {

    static final int TAIL_LINES = 200;

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ClusterExtension.class);
    private static final String FIRST_NODE = "firstNode";

    @Override
    public void beforeAll(ExtensionContext context) {
        Directories.deleteRecursively(ReplogCluster.logDir(context.getRequiredTestClass()));
        context.getStore(NAMESPACE).put(FIRST_NODE, NodeProcess.all().size());
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        dumpLogs(context, "test \"" + context.getDisplayName() + "\" failed: " + cause);
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        dumpLogs(context, "@BeforeAll of " + context.getDisplayName() + " failed: " + throwable);
        throw throwable;
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable throwable)
            throws Throwable {
        dumpLogs(context, "@BeforeEach of " + context.getDisplayName() + " failed: " + throwable);
        throw throwable;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        classNodes(context).forEach(NodeProcess::kill);
    }

    /** Nodes created since this test class started (the store of a method context sees its class's). */
    private static List<NodeProcess> classNodes(ExtensionContext context) {
        Integer first = context.getStore(NAMESPACE).get(FIRST_NODE, Integer.class);
        List<NodeProcess> all = NodeProcess.all();
        return all.subList(first == null ? 0 : Math.min(first, all.size()), all.size());
    }

    private static void dumpLogs(ExtensionContext context, String why) {
        StringBuilder out = new StringBuilder();
        out.append("\n######## ").append(why).append('\n');
        Set<Path> shown = new HashSet<>();
        for (NodeProcess node : classNodes(context)) {
            if (!shown.add(node.logFile())) {
                continue; // a later cluster of the same class appends to the same file
            }
            out.append("######## last ").append(TAIL_LINES).append(" lines of ").append(node)
                    .append(" log ").append(node.logFile()).append('\n')
                    .append(node.tail(TAIL_LINES)).append('\n');
        }
        out.append("######## end of node logs\n");
        System.out.println(out);
    }
}
