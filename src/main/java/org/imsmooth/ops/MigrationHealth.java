package org.imsmooth.ops;

import java.util.LinkedHashMap;
import java.util.Map;

import org.imsmooth.pipeline.ImportOrchestrator;
import org.imsmooth.pipeline.failure.TransientWaits;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} component "migration": WAITING while a stage (or sync flow) waits out a
 * transient failure or a stage's reader fails, with what and since when; UP otherwise. WAITING ranks
 * below UP in the overall status (application.yml {@code management.endpoint.health.status.order}) but
 * answers HTTP 200: the service is alive and keeps taking IM's callbacks, so a load balancer must not
 * take it out, while a monitor sees that the migration is not moving.
 */
@Component("migration")
public class MigrationHealth implements HealthIndicator {

    public static final Status WAITING = new Status("WAITING", "the migration waits: IM or the old system unreachable, or a reader failing");

    private final TransientWaits waits;
    private final ObjectProvider<ImportOrchestrator> orchestrator;

    public MigrationHealth(TransientWaits waits, ObjectProvider<ImportOrchestrator> orchestrator) {
        this.waits = waits;
        this.orchestrator = orchestrator;
    }

    @Override
    public Health health() {
        Map<String, Object> details = new LinkedHashMap<>();
        waits.all().forEach((stage, wait) -> details.put(stage, Map.of("state", "waiting", "cause", wait.cause(),
                "since", wait.since().toString(), "retries", wait.retries())));
        ImportOrchestrator import_ = orchestrator.getIfAvailable();
        if (import_ != null) {
            import_.readerFailures().forEach((stage, failure) -> details.put(stage, Map.of("state", "failed", "error", failure.error(),
                    "cursor", String.valueOf(failure.cursor()), "since", failure.since().toString())));
        }
        return details.isEmpty() ? Health.up().build() : Health.status(WAITING).withDetails(details).build();
    }
}
