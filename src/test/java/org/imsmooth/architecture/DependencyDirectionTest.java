package org.imsmooth.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Dependencies point one way (DEVELOPERS.md): routes -> pipeline/sync -> im client and oldsystem.
 * The sandbox shares only the API model with the client, and nothing but the launcher knows it,
 * so switching to the real Tencent IM stays a configuration change.
 */
class DependencyDirectionTest {

    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.imsmooth");
    }

    @Test
    void imClientKnowsNoPipelineSyncOrSandbox() {
        noClasses().that().resideInAPackage("org.imsmooth.im..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.imsmooth.pipeline..", "org.imsmooth.sync..", "org.imsmooth.sandbox..",
                        "org.imsmooth.oldsystem..", "org.imsmooth.ops..")
                .check(classes);
    }

    @Test
    void apiModelDependsOnNothingOfTheService() {
        noClasses().that().resideInAPackage("org.imsmooth.im.api..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.imsmooth.im", "org.imsmooth.pipeline..", "org.imsmooth.sync..",
                        "org.imsmooth.sandbox..", "org.imsmooth.oldsystem..", "org.imsmooth.broker..", "org.imsmooth.ops..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void sandboxSharesOnlyTheApiModel() {
        noClasses().that().resideInAPackage("org.imsmooth.sandbox..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.imsmooth.im", "org.imsmooth.im.auth..", "org.imsmooth.pipeline..", "org.imsmooth.sync..",
                        "org.imsmooth.oldsystem..", "org.imsmooth.broker..", "org.imsmooth.ops..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void nothingButTheLauncherImportsTheSandbox() {
        noClasses().that().resideOutsideOfPackage("org.imsmooth.sandbox..")
                .and().doNotHaveFullyQualifiedName("org.imsmooth.ImMigrationApplication")
                .should().dependOnClassesThat().resideInAPackage("org.imsmooth.sandbox..")
                .check(classes);
    }

    @Test
    void benchmarkReachesTheServiceAndSandboxOverHttpOnly() {
        noClasses().that().resideInAPackage("org.imsmooth.ops.bench..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.imsmooth.sandbox..", "org.imsmooth.pipeline..", "org.imsmooth.state..", "org.imsmooth.broker..")
                .check(classes);
    }

    @Test
    void oldSystemAdaptersDoNotCallIm() {
        noClasses().that().resideInAPackage("org.imsmooth.oldsystem..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.imsmooth.im", "org.imsmooth.pipeline..", "org.imsmooth.sync..", "org.imsmooth.sandbox..")
                .allowEmptyShould(true)
                .check(classes);
    }
}
