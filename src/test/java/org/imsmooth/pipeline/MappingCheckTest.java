package org.imsmooth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.imsmooth.support.ServiceJvm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.util.FileSystemUtils;

/**
 * {@code --migration.check-mapping=true} as a user runs it, in a JVM of its own over the demo's old database
 * (with its invalid rows): every stage's first rows as canonical records with their IM ids and MsgBody, the
 * first refusals, exit 0; then over a mapping whose friends query lost a canonical column: MAPPING ERROR,
 * exit 2. It takes the state, broker and port of no running service (in-memory, port 0).
 */
class MappingCheckTest {

    private static final Path DIR = Path.of("target", "mapping-check").toAbsolutePath();
    private static final Path PROJECT = Path.of("").toAbsolutePath();

    @BeforeAll
    static void clean() throws IOException {
        FileSystemUtils.deleteRecursively(DIR);
        Files.createDirectories(DIR);
    }

    @Test
    void printsEveryStagesFirstRecordsAndRefusalsAndExitsZero() throws Exception {
        Process check = start("demo", PROJECT.resolve("routes/old-system/mapping.yml"));
        assertThat(check.waitFor(3, TimeUnit.MINUTES)).as("check finished; output:\n" + output("demo")).isTrue();
        String out = output("demo");
        assertThat(check.exitValue()).as("exit code; output:\n" + out).isZero();
        for (String stage : List.of("accounts", "profiles", "friends", "c2c-messages", "c2c-read-marks", "groups",
                "group-members", "group-messages", "group-unread")) {
            assertThat(out).contains("== " + stage + " (old rows: ");
        }
        assertThat(out).contains("record {\"sourceId\":\"1\",\"nick\":\"User 1\"")
                .contains("IM     {\"UserID\":\"u1\"}")
                .contains("\"MsgBody\":[{\"MsgType\":\"TIM")
                // the demo's invalid rows, found among the rows scanned
                .contains("live group = AVChatRoom, which IM refuses to import (10007)")
                .contains(": message body is empty")
                .contains("is in the future")
                .contains("Mapping check: every query runs and every row has its kind's columns")
                .contains("Mapping check done: exiting with 0");
        // nothing imported, nothing of the service's own state on disk
        assertThat(out).doesNotContain("Historical import finished").doesNotContain("Starting stage");
        assertThat(DIR.resolve("demo/data/state.mv.db")).doesNotExist();
        assertThat(DIR.resolve("demo/data/artemis")).doesNotExist();
    }

    @Test
    void aRowWithoutItsKindsColumnsIsAMappingErrorExitingTwo() throws Exception {
        String mapping = Files.readString(PROJECT.resolve("routes/old-system/mapping.yml"));
        String broken = mapping.replace("SELECT user_id, friend_id, remark", "SELECT user_id AS uid, friend_id, remark");
        assertThat(broken).isNotEqualTo(mapping);
        Path file = DIR.resolve("broken-mapping.yml");
        Files.writeString(file, broken);
        Process check = start("broken", file);
        assertThat(check.waitFor(3, TimeUnit.MINUTES)).as("check finished; output:\n" + output("broken")).isTrue();
        String out = output("broken");
        assertThat(check.exitValue()).as("exit code; output:\n" + out).isEqualTo(2);
        assertThat(out).contains("MAPPING ERROR, row 1: friend row needs user_id and friend_id columns")
                .contains("Mapping check: MAPPING ERROR");
    }

    private static Process start(String name, Path mapping) throws IOException {
        Path dir = DIR.resolve(name);
        Files.createDirectories(dir);
        List<String> command = new ArrayList<>(ServiceJvm.javaCommand(List.of("-Xmx384m")));
        command.addAll(List.of(
                "--migration.check-mapping=true",
                "--oldsystem.datasource.url=jdbc:h2:file:" + dir.resolve("oldsystem"),
                "--camel.main.routes-include-pattern=file:" + PROJECT.resolve("routes") + "/*.yaml",
                "--oldsystem.demo.enabled=true",
                "--oldsystem.demo.users=40",
                "--oldsystem.demo.messages=200",
                "--oldsystem.demo.groups=5",
                "--oldsystem.demo.group-messages=100"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.txt").toFile());
        builder.environment().put("OLD_SYSTEM_MAPPING", mapping.toString());
        return builder.start();
    }

    private static String output(String name) {
        try {
            return Files.readString(DIR.resolve(name).resolve("out.txt"));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }
}
