package dev.replog.master;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.replog.common.testing.ArchitectureRules;

@AnalyzeClasses(packages = "dev.replog.master", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule mainCodeNeverBlocksOnAPublisher = ArchitectureRules.mainCodeNeverBlocksOnAPublisher;

    @ArchTest
    static final ArchRule featurePackagesHaveNoCycles = ArchitectureRules.featurePackagesHaveNoCycles(
            "dev.replog.master");

    /** The HTTP layer speaks to the write path, the log and the cluster view, never to replicators. */
    @ArchTest
    static final ArchRule theApiImportsNoReplicationClass = noClasses()
            .that().resideInAPackage("..master.api..")
            .should().dependOnClassesThat().resideInAPackage("..master.replication..");

    /**
     * The log announces durability to listeners it does not know: it depends on none of the
     * features that listen (ack tracker, replication) or that drive it (recovery, the API).
     */
    @ArchTest
    static final ArchRule theLogKnowsNoneOfItsListeners = noClasses()
            .that().resideInAPackage("..master.log..")
            .should().dependOnClassesThat().resideInAnyPackage("..master.writeconcern..", "..master.replication..",
                    "..master.recovery..", "..master.cluster..", "..master.api..", "..master.write..");

    /** The cluster view is told what recovery waits for; it does not reach into recovery. */
    @ArchTest
    static final ArchRule theClusterViewDoesNotDependOnRecovery = noClasses()
            .that().resideInAPackage("..master.cluster..")
            .should().dependOnClassesThat().resideInAPackage("..master.recovery..");

    /** Ids, epochs, the sync client and the data dir are the bottom layer: they know nothing of the log's users. */
    @ArchTest
    static final ArchRule idsEpochsTheSyncClientAndTheDataDirAreTheBottomLayer = noClasses()
            .that().resideInAnyPackage("..master.ids..", "..master.epoch..", "..master.sync..", "..master.datadir..")
            .should().dependOnClassesThat().resideInAnyPackage("..master.replication..", "..master.recovery..",
                    "..master.cluster..", "..master.api..", "..master.write..", "..master.writeconcern..");
}
