package dev.replog.secondary;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;
import org.springframework.context.annotation.Bean;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The secondary's layering: {@code config} (settings, the log store) underlies {@code replication}
 * (what the master calls) and {@code api} (public reads), which stay apart.
 */
@AnalyzeClasses(packages = "dev.replog.secondary", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule mainCodeNeverBlocksOnAPublisher = noClasses()
            .should().callMethod(Mono.class, "block")
            .orShould().callMethod(Flux.class, "blockFirst")
            .orShould().callMethod(Flux.class, "blockLast")
            .orShould().callMethod(Thread.class, "sleep", long.class)
            .because("a blocked Reactor thread stalls every request on it");

    @ArchTest
    static final ArchRule featurePackagesHaveNoCycles = slices()
            .matching("dev.replog.secondary.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule publicReadsDoNotReachIntoReplication = noClasses()
            .that().resideInAPackage("dev.replog.secondary.api..")
            .should().dependOnClassesThat().resideInAPackage("dev.replog.secondary.replication..")
            .because("public reads show the log store's contiguous prefix; how batches get there is "
                    + "replication's own business");

    @ArchTest
    static final ArchRule settingsAndStorageDependOnNoFeature = noClasses()
            .that().resideInAPackage("dev.replog.secondary.config..")
            .should().dependOnClassesThat()
            .resideInAnyPackage("dev.replog.secondary.api..", "dev.replog.secondary.replication..")
            .because("the settings and the log store are what the features are built on");

    @ArchTest
    static final ArchRule theApplicationClassDeclaresNoBeans = noMethods()
            .that().areDeclaredIn(SecondaryApplication.class)
            .should().beAnnotatedWith(Bean.class)
            .because("the faulty-secondary scans dev.replog.secondary without SecondaryApplication: a bean "
                    + "declared there would be missing from it");

    @ArchTest
    static final ArchRule beansAreInjectedThroughConstructors = GeneralCodingRules.NO_CLASSES_SHOULD_USE_FIELD_INJECTION;

    @ArchTest
    static final ArchRule outputGoesThroughTheLogger = GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS;
}
