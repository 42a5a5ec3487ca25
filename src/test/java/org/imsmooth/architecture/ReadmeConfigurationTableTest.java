package org.imsmooth.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * README's "Configuration" table (the settings a migration is run with) and docs/configuration.md's (tuning)
 * are the user's list of settings: together they must name every environment variable the configuration
 * reads ({@code ${VAR:default}} in application.yml and the routes/old-system files), and nothing that does
 * not exist there.
 */
class ReadmeConfigurationTableTest {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");
    private static final Pattern BACKTICKED_VARIABLE = Pattern.compile("`([A-Z][A-Z0-9_]+)`");

    @Test
    void everyVariableOfTheConfigurationIsInTheReadmeTableAndViceVersa() throws IOException {
        Set<String> configured = configuredVariables();
        Set<String> documented = documentedVariables(Files.readString(Path.of("README.md")));
        documented.addAll(tableVariables(Files.readString(Path.of("docs/configuration.md"))));

        assertThat(configured).as("variables read by application.yml and routes/old-system/*.yml").isNotEmpty();
        assertThat(documented).as("variables in README's Configuration table, missing from the configuration")
                .isSubsetOf(configured);
        assertThat(configured).as("variables of the configuration, missing from README's Configuration table"
                        + " and docs/configuration.md")
                .isSubsetOf(documented);
    }

    @Test
    void theTableReaderSeesOnlyTheConfigurationSection() {
        String readme = """
                # Title
                `OUTSIDE_TABLE` is mentioned in prose.
                ## Configuration
                Text with `PROSE_VAR`.

                | Variable | Default | Meaning |
                |---|---|---|
                | **Group** | | |
                | `FIRST_VAR` / `SECOND_VAR` | `x` | the meaning names `NOT_A_KEY` |
                | `pipeline.read-ahead` | `48` | a property |
                ## Operating the service
                | `LATER_VAR` | — | another section |
                """;
        assertThat(documentedVariables(readme)).containsExactlyInAnyOrder("FIRST_VAR", "SECOND_VAR");
    }

    static Set<String> configuredVariables() throws IOException {
        Set<String> variables = new TreeSet<>();
        List<Path> files;
        try (Stream<Path> oldSystem = Files.list(Path.of("routes/old-system"))) {
            files = Stream.concat(Stream.of(Path.of("src/main/resources/application.yml")),
                    oldSystem.filter(p -> p.toString().endsWith(".yml"))).toList();
        }
        for (Path file : files) {
            Matcher m = PLACEHOLDER.matcher(Files.readString(file));
            while (m.find()) {
                variables.add(m.group(1));
            }
        }
        return variables;
    }

    /** Variables named in the first column of the table rows of README's "## Configuration" section. */
    static Set<String> documentedVariables(String readme) {
        int start = readme.indexOf("\n## Configuration\n");
        assertThat(start).as("README has a '## Configuration' section").isGreaterThanOrEqualTo(0);
        int end = readme.indexOf("\n## ", start + 1);
        return tableVariables(readme.substring(start, end < 0 ? readme.length() : end));
    }

    /** Variables named in the first column of the table rows of {@code text}. */
    static Set<String> tableVariables(String text) {
        Set<String> variables = new TreeSet<>();
        for (String line : text.split("\n")) {
            if (!line.startsWith("| ")) {
                continue;
            }
            String firstCell = line.substring(2, line.indexOf('|', 2));
            Matcher m = BACKTICKED_VARIABLE.matcher(firstCell);
            while (m.find()) {
                variables.add(m.group(1));
            }
        }
        return variables;
    }
}
