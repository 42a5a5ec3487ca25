package org.imsmooth.pipeline;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The historical import plan: stages in the migration guide's order, each with the stages it waits
 * for. Stages whose dependencies are done run concurrently (each IM API has its own quota).
 *
 * @param autoStart        start the import when the service is up
 * @param exitWhenDone     one-shot mode: print the reconciliation report and exit (0 only when it balances)
 * @param stages           stage -> stages it depends on
 * @param progressInterval how often progress is logged
 */
@ConfigurationProperties("migration")
public record MigrationProperties(
        @DefaultValue("true") boolean autoStart,
        @DefaultValue("false") boolean exitWhenDone,
        Map<String, List<String>> stages,
        @DefaultValue("10s") Duration progressInterval) {

    public MigrationProperties {
        stages = stages == null ? new LinkedHashMap<>() : new LinkedHashMap<>(stages);
        for (var entry : stages.entrySet()) {
            for (String dependency : entry.getValue()) {
                if (!stages.containsKey(dependency)) {
                    throw new IllegalArgumentException("migration.stages." + entry.getKey() + " waits for unknown stage '" + dependency + "'");
                }
            }
        }
    }
}
