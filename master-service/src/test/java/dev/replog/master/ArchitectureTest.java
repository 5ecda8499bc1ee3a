package dev.replog.master;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@AnalyzeClasses(packages = "dev.replog.master", importOptions = ImportOption.DoNotIncludeTests.class)
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
            .matching("dev.replog.master.(*)..").should().beFreeOfCycles();
}
