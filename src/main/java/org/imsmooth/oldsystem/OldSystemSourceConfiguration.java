package org.imsmooth.oldsystem;

import org.imsmooth.oldsystem.files.ExportFileReader;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * The import stages' old system ({@code oldSystemReader} in routes/import-stage.camel.yaml, the
 * orchestrator's totals, the reconciliation's counts): its database ({@code oldsystem.kind=sql}, the
 * default) or export files ({@code files}, docs/files.md).
 */
@Configuration
public class OldSystemSourceConfiguration {

    public static final String KIND = "oldsystem.kind";

    @Bean("oldSystemReader")
    @Primary
    OldSystemSource oldSystemReader(@Value("${" + KIND + ":sql}") String kind, ObjectProvider<KeysetPageReader> database,
                                    ObjectProvider<ExportFileReader> files) {
        return switch (kind.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "sql" -> database.getObject();
            case "files" -> files.getObject();
            default -> throw new OldSystemConfigurationException(KIND + " (OLD_SYSTEM_KIND) is '" + kind + "': use sql or files");
        };
    }

    /** True when the old system is export files. */
    public static boolean files(org.springframework.core.env.Environment environment) {
        return "files".equalsIgnoreCase(environment.getProperty(KIND, "sql").trim());
    }
}
