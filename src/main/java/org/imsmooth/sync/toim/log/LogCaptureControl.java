package org.imsmooth.sync.toim.log;

import java.time.Duration;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.imsmooth.sync.OwnWrites;
import org.imsmooth.sync.toim.CaptureLease;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * One instance captures: the Debezium route runs only while this instance holds the capture lease
 * ({@code sync-old-to-im-capture}, the polling capture's). Called from the lease route's timer:
 * starts the route when the lease is taken, stops it when the lease is lost. Another instance that
 * takes over resumes from the offsets in the state database.
 */
@Component("logCaptureControl")
public class LogCaptureControl {

    private static final Logger LOG = LoggerFactory.getLogger(LogCaptureControl.class);
    static final String ROUTE = "sync-old-to-im-log-capture";
    private static final Duration LEASE = Duration.ofSeconds(30);

    private final LogCaptureProperties properties;
    private final CaptureLease lease;
    private final OwnWrites ownWrites;
    private final CamelContext camel;
    private long ticks;

    public LogCaptureControl(LogCaptureProperties properties, CaptureLease lease, OwnWrites ownWrites, CamelContext camel) {
        this.properties = properties;
        this.lease = lease;
        this.ownWrites = ownWrites;
        this.camel = camel;
    }

    public void tick() throws Exception {
        if (!properties.enabled()) {
            return;
        }
        if (properties.tables().isEmpty()) {
            if (ticks++ == 0) {
                LOG.error("log capture is on but log-capture.tables maps no table (see the mapping file, OLD_SYSTEM_MAPPING): nothing is captured");
            }
            return;
        }
        ServiceStatus status = camel.getRouteController().getRouteStatus(ROUTE);
        boolean running = status != null && (status.isStarted() || status.isStarting());
        if (lease.acquire(LEASE)) {
            if (!running) {
                LOG.info("log capture starts ({} connector, slot/name '{}'): this instance holds the capture lease",
                        properties.connector(), properties.slotName());
                camel.getRouteController().startRoute(ROUTE);
            }
            if (ticks++ % 60 == 0) {
                ownWrites.expire();
            }
        } else if (running) {
            LOG.info("log capture stops: another instance holds the capture lease");
            camel.getRouteController().stopRoute(ROUTE);
        }
    }
}
