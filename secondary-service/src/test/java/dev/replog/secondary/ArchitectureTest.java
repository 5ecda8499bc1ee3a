package dev.replog.secondary;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import com.tngtech.archunit.lang.ArchRule;
import dev.replog.common.testing.ArchitectureRules;
import org.springframework.context.annotation.Bean;

/**
 * The secondary's layering: {@code config} (settings, the log store) underlies {@code replication}
 * (what the master calls) and {@code api} (public reads), which stay apart.
 */
@AnalyzeClasses(packages = "dev.replog.secondary", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchTests rulesOfEveryService = ArchTests.in(ArchitectureRules.class);

    @ArchTest
    static final ArchRule featurePackagesHaveNoCycles = ArchitectureRules.featurePackagesHaveNoCycles(
            "dev.replog.secondary");

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
}
