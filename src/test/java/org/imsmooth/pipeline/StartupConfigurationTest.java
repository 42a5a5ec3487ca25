package org.imsmooth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import org.imsmooth.ImMigrationApplication;
import org.imsmooth.oldsystem.OldSystemConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Issue 16, case 8: configuration errors stop the service at start with one clear line. Before, a
 * wrong OLD_SYSTEM_MAPPING path was silently ignored ({@code optional:file:}) and the service logged
 * "No old-system query configured" twenty times a second, naming the default path; a query that did
 * not run was found only by its reader, mid-import.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupConfigurationTest {

    @Test
    void aMappingFileThatDoesNotExistStopsTheStart(CapturedOutput output) {
        Throwable failure = start("--OLD_SYSTEM_MAPPING=no/such/mapping.yml");
        assertThat(org.springframework.core.NestedExceptionUtils.getMostSpecificCause(failure)).isInstanceOf(OldSystemConfigurationException.class);
        assertThat(output.getOut()).containsPattern(
                "Description:\\R\\ROLD_SYSTEM_MAPPING=no/such/mapping.yml: the old-system mapping file \\S*no/such/mapping.yml does not exist\\R");
    }

    @Test
    void aQueryThatDoesNotRunStopsTheStart(CapturedOutput output) {
        Throwable failure = start("--oldsystem.queries.profiles.sql=SELECT id AS source_id, nickname AS nick FROM no_such_table"
                + " WHERE id > :after_source_id ORDER BY id LIMIT :limit");
        assertThat(org.springframework.core.NestedExceptionUtils.getMostSpecificCause(failure)).isInstanceOf(OldSystemConfigurationException.class);
        assertThat(output.getOut()).containsPattern("Description:\\R\\Roldsystem.queries.profiles.sql in routes/old-system/mapping.yml"
                + " does not run: Table \"NO_SUCH_TABLE\" not found[^\\n]*\\R");
    }

    /** The process exits 2 ("could not finish", README exit codes), not Spring's generic 1, with the one line. */
    @Test
    void aConfigurationErrorExitsTheProcessWithTwo(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(org.imsmooth.support.ServiceJvm.javaCommand(java.util.List.of("-Xmx256m")));
        command.addAll(java.util.List.of("--server.port=0", "--OLD_SYSTEM_MAPPING=no/such/mapping.yml", "--migration.exit-when-done=true"));
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile()).start();
        assertThat(process.waitFor(3, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
        String out = java.nio.file.Files.readString(dir.resolve("out.log"));
        assertThat(process.exitValue()).as(out).isEqualTo(OneShotExit.COULD_NOT_FINISH);
        assertThat(out).contains("the old-system mapping file").contains("no/such/mapping.yml does not exist");
    }

    private static Throwable start(String setting) {
        try (ConfigurableApplicationContext started = new SpringApplicationBuilder(ImMigrationApplication.class).profiles("test")
                .run(setting, "--migration.auto-start=false", "--change-capture.enabled=false")) {
            fail("the service started despite " + setting);
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }
}
