package org.imsmooth.pipeline;

import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.support.RoutePolicySupport;
import org.springframework.stereotype.Component;

/**
 * The route policy of every import worker route ({@code routePolicy: workerDoneSignal} in the
 * {@code import-stage-worker} template): each queue message a worker finished tells the orchestrator,
 * which then reads a draining stage's queue at once rather than at its next tick
 * ({@link ImportOrchestrator#workerFinished}). A stage's end is on every dependency chain of the import.
 */
@Component("workerDoneSignal")
public class WorkerDoneSignal extends RoutePolicySupport {

    static final String WORKER_ROUTE_PREFIX = "import-";

    private final ImportOrchestrator orchestrator;

    public WorkerDoneSignal(ImportOrchestrator orchestrator) {
        this.orchestrator = orchestrator;
    }

    @Override
    public void onExchangeDone(Route route, Exchange exchange) {
        String id = route.getRouteId();
        if (id.startsWith(WORKER_ROUTE_PREFIX)) {
            orchestrator.workerFinished(id.substring(WORKER_ROUTE_PREFIX.length()));
        }
    }
}
