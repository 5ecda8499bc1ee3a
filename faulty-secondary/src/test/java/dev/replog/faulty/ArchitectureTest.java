package dev.replog.faulty;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import com.tngtech.archunit.lang.ArchRule;
import dev.replog.common.testing.ArchitectureRules;
import dev.replog.secondary.SecondaryApplication;
import dev.replog.secondary.replication.DirectAppendGate;
import dev.replog.secondary.replication.ReplicaEpoch;

/**
 * The faulty-secondary is the secondary's own code, unchanged, with faults in front of it: it
 * reaches into the secondary only through the seams the secondary offers for it.
 */
@AnalyzeClasses(packages = "dev.replog.faulty", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchTests rulesOfEveryService = ArchTests.in(ArchitectureRules.class);

    @ArchTest
    static final ArchRule theSecondaryIsReachedOnlyThroughItsSeams = noClasses()
            .should().dependOnClassesThat(resideInAPackage("dev.replog.secondary..")
                    .and(not(belongToAnyOf(SecondaryApplication.class, DirectAppendGate.class, ReplicaEpoch.class))))
            .because("the faulty-secondary must run the very code of the secondary, not a copy bent by faults; "
                    + "SecondaryApplication is named only to leave it out of the scan");

    @ArchTest
    static final ArchRule faultsNeverTouchTheLog = noClasses()
            .should().dependOnClassesThat().resideInAPackage("dev.replog.common.log..")
            .because("whatever this node holds, the secondary's own code stored: a fault only delays, refuses "
                    + "or replaces answers");
}
