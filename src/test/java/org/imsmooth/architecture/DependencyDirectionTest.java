package org.imsmooth.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.PackageMatcher;
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

    /**
     * The packages a rule names, each checked to hold classes: a renamed package would otherwise leave
     * the rule checking nothing (and a rule whose subject is empty fails by ArchUnit's default).
     */
    private static String[] packages(String... identifiers) {
        for (String id : identifiers) {
            PackageMatcher matcher = PackageMatcher.of(id);
            assertThat(classes.stream().anyMatch(c -> matcher.matches(c.getPackageName())))
                    .as("package %s holds classes (renamed? update the rule)", id).isTrue();
        }
        return identifiers;
    }

    @Test
    void everyRuleSubjectAndTargetExists() {
        assertThat(packages("org.imsmooth.im", "org.imsmooth.im.api..", "org.imsmooth.sandbox..", "org.imsmooth.pipeline..",
                "org.imsmooth.sync..", "org.imsmooth.oldsystem..", "org.imsmooth.broker..", "org.imsmooth.ops..",
                "org.imsmooth.ops.bench..", "org.imsmooth.state..")).hasSize(10);
        assertThatThrownBy(() -> packages("org.imsmooth.im.auth.."))
                .as("a package that does not exist is caught").hasMessageContaining("org.imsmooth.im.auth..");
    }

    @Test
    void imClientKnowsNoPipelineSyncOrSandbox() {
        noClasses().that().resideInAPackage("org.imsmooth.im..")
                .should().dependOnClassesThat().resideInAnyPackage(packages(
                        "org.imsmooth.pipeline..", "org.imsmooth.sync..", "org.imsmooth.sandbox..",
                        "org.imsmooth.oldsystem..", "org.imsmooth.ops.."))
                .check(classes);
    }

    @Test
    void apiModelDependsOnNothingOfTheService() {
        noClasses().that().resideInAPackage("org.imsmooth.im.api..")
                .should().dependOnClassesThat().resideInAnyPackage(packages(
                        "org.imsmooth.im", "org.imsmooth.pipeline..", "org.imsmooth.sync..",
                        "org.imsmooth.sandbox..", "org.imsmooth.oldsystem..", "org.imsmooth.broker..", "org.imsmooth.ops.."))
                .check(classes);
    }

    @Test
    void sandboxSharesOnlyTheApiModel() {
        noClasses().that().resideInAPackage("org.imsmooth.sandbox..")
                .should().dependOnClassesThat().resideInAnyPackage(packages(
                        "org.imsmooth.im", "org.imsmooth.pipeline..", "org.imsmooth.sync..",
                        "org.imsmooth.oldsystem..", "org.imsmooth.broker..", "org.imsmooth.ops.."))
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
                .should().dependOnClassesThat().resideInAnyPackage(packages(
                        "org.imsmooth.sandbox..", "org.imsmooth.pipeline..", "org.imsmooth.state..", "org.imsmooth.broker.."))
                .check(classes);
    }

    @Test
    void oldSystemAdaptersDoNotCallIm() {
        noClasses().that().resideInAPackage("org.imsmooth.oldsystem..")
                .should().dependOnClassesThat().resideInAnyPackage(packages(
                        "org.imsmooth.im", "org.imsmooth.pipeline..", "org.imsmooth.sync..", "org.imsmooth.sandbox.."))
                .check(classes);
    }
}
