package org.imsmooth.im;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The client's side of the dependency rules in DEVELOPERS.md. */
class ImClientArchitectureTest {

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(new ImportOption.DoNotIncludeTests())
            .importPackages("org.imsmooth");

    @Test
    void sharedModelKnowsNothingButJackson() {
        noClasses().that().resideInAPackage("org.imsmooth.im.api..")
                .should().dependOnClassesThat().resideOutsideOfPackages(
                        "org.imsmooth.im.api..", "java..", "com.fasterxml.jackson.annotation..")
                .check(classes);
    }

    @Test
    void clientKnowsNoPipelineSyncOrSandbox() {
        noClasses().that().resideInAPackage("org.imsmooth.im..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.imsmooth.pipeline..", "org.imsmooth.sync..", "org.imsmooth.sandbox..",
                        "org.imsmooth.oldsystem..", "org.imsmooth.ops..", "org.imsmooth.broker..")
                .check(classes);
    }

    /** Only the Camel transport (im.camel) knows Camel: the facades, envelope and UserSig do not. */
    @Test
    void onlyTheCamelTransportKnowsCamel() {
        noClasses().that().resideInAPackage("org.imsmooth.im..")
                .and().resideOutsideOfPackage("org.imsmooth.im.camel..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.camel..", "org.apache.hc..")
                .check(classes);
    }
}
