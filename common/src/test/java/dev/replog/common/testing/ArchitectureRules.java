package dev.replog.common.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;
import com.tngtech.archunit.library.dependencies.SliceRule;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The ArchUnit rules that hold for every replog service's main code, whatever its layering. A
 * service's {@code ArchitectureTest} takes the {@link ArchTest} rules here with
 * {@code ArchTests.in(ArchitectureRules.class)} (or names the ones it keeps) and states its own
 * layering beside them.
 */
public final class ArchitectureRules {

    @ArchTest
    public static final ArchRule mainCodeNeverBlocksOnAPublisher = noClasses()
            .should().callMethod(Mono.class, "block")
            .orShould().callMethod(Flux.class, "blockFirst")
            .orShould().callMethod(Flux.class, "blockLast")
            .orShould().callMethod(Thread.class, "sleep", long.class)
            .because("a blocked Reactor thread stalls every request on it");

    @ArchTest
    public static final ArchRule beansAreInjectedThroughConstructors =
            GeneralCodingRules.NO_CLASSES_SHOULD_USE_FIELD_INJECTION;

    @ArchTest
    public static final ArchRule outputGoesThroughTheLogger = GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS;

    private ArchitectureRules() {
    }

    /**
     * No cycle among the packages right below {@code basePackage} (each with its subpackages): a
     * service's feature packages depend on each other in one direction only.
     */
    public static SliceRule featurePackagesHaveNoCycles(String basePackage) {
        return slices().matching(basePackage + ".(*)..").should().beFreeOfCycles();
    }
}
