package dev.replog.sync;

import static com.tngtech.archunit.base.DescribedPredicate.alwaysTrue;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import com.tngtech.archunit.lang.ArchRule;
import dev.replog.common.testing.ArchitectureRules;

/**
 * The sync node's layering: {@code paxos} (CASPaxos: acceptor, proposer) at the bottom; the
 * services built on the proposer, {@code lock} and {@code sequence}, above it; {@code cluster} (the
 * peers over HTTP, membership) beside them; {@code config} holds the settings every package may use
 * and the wiring that uses every package.
 */
@AnalyzeClasses(packages = "dev.replog.sync", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchTests rulesOfEveryService = ArchTests.in(ArchitectureRules.class);

    @ArchTest
    static final ArchRule paxosStandsAlone = noClasses()
            .that().resideInAPackage("dev.replog.sync.paxos..")
            .should().dependOnClassesThat(resideInAPackage("dev.replog.sync..")
                    .and(resideOutsideOfPackage("dev.replog.sync.paxos..")))
            .because("the algorithm knows nothing of HTTP, settings or what is built on it, so that it runs "
                    + "the same in CasPaxosSimulationTest as in a node");

    @ArchTest
    static final ArchRule servicesReachPeersOnlyThroughTheProposer = noClasses()
            .that().resideInAnyPackage("dev.replog.sync.lock..", "dev.replog.sync.sequence..")
            .should().dependOnClassesThat().resideInAPackage("dev.replog.sync.cluster..")
            .because("a lock or a sequence is a value CASPaxos decides; how peers are reached is the "
                    + "proposer's concern");

    @ArchTest
    static final ArchRule locksDoNotDependOnSequences = noClasses()
            .that().resideInAPackage("dev.replog.sync.lock..")
            .should().dependOnClassesThat().resideInAPackage("dev.replog.sync.sequence..")
            .because("locks and sequences are separate services on the same proposer");

    @ArchTest
    static final ArchRule sequencesDoNotDependOnLocks = noClasses()
            .that().resideInAPackage("dev.replog.sync.sequence..")
            .should().dependOnClassesThat().resideInAPackage("dev.replog.sync.lock..")
            .because("locks and sequences are separate services on the same proposer");

    @ArchTest
    static final ArchRule noCyclesBesidesTheWiring = ArchitectureRules.featurePackagesHaveNoCycles("dev.replog.sync")
            .ignoreDependency(nameMatching("dev\\.replog\\.sync\\.config\\.SyncConfiguration(\\$.*)?"), alwaysTrue())
            .because("every package may use the settings and the wiring (SyncConfiguration) uses every "
                    + "package; apart from the wiring's dependencies, none is circular");
}
