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
    private static final Duration RESTART_AFTER = Duration.ofSeconds(60);

    private final LogCaptureProperties properties;
    private final CaptureLease lease;
    private final OwnWrites ownWrites;
    private final CamelContext camel;
    private long ticks;
    private long startedAt;
    private long lastStreaming;
    private boolean mariaDbRefusalLogged;
    private final javax.sql.DataSource oldSystem;
    /** The capture lease's time: {@code migration.lease-ttl}, and at least three of the lease route's renewal periods. */
    private final Duration leaseTtl;

    public LogCaptureControl(LogCaptureProperties properties, CaptureLease lease, OwnWrites ownWrites, CamelContext camel,
                             @org.springframework.beans.factory.annotation.Qualifier("oldSystemDataSource") javax.sql.DataSource oldSystem,
                             @org.springframework.beans.factory.annotation.Value("${migration.lease-ttl:30s}") Duration leaseTtl,
                             @org.springframework.beans.factory.annotation.Value("${log-capture.lease-interval-ms:5000}") long renewalMillis) {
        this.leaseTtl = Duration.ofMillis(Math.max(leaseTtl.toMillis(), 3 * renewalMillis));
        this.oldSystem = oldSystem;
        this.properties = properties;
        this.lease = lease;
        this.ownWrites = ownWrites;
        this.camel = camel;
    }

    /**
     * The Debezium engine runs in the route's consumer, which only logs when the engine fails (a refused
     * login, a missing slot privilege, the database gone): a capture that has not been streaming for
     * {@code RESTART_AFTER} is restarted, with a WARN line each time, until it streams.
     */
    private void restartWhenNotStreaming() throws Exception {
        long now = System.currentTimeMillis();
        if (streaming()) {
            lastStreaming = now;
            return;
        }
        if (now - Math.max(lastStreaming, startedAt) > RESTART_AFTER.toMillis()) {
            LOG.warn("log capture has not been streaming for {} s (see the Debezium log lines before): restarting it",
                    (now - Math.max(lastStreaming, startedAt)) / 1000);
            camel.getRouteController().stopRoute(ROUTE);
            camel.getRouteController().startRoute(ROUTE);
            startedAt = now;
        }
    }

    /**
     * Debezium 3.4's MySQL connector streams from MariaDB, but after a restart it resumed past the rows
     * written while it was stopped (MariaDbSampleLogCaptureTest): on MariaDB, capture starts only when
     * {@code log-capture.mariadb-despite-restart-loss=true}; use the polling capture there.
     */
    private boolean refusedMariaDb() {
        if (!"mysql".equals(properties.connector()) || properties.mariadbDespiteRestartLoss()) {
            return false;
        }
        String version;
        try {
            version = new org.springframework.jdbc.core.JdbcTemplate(oldSystem).queryForObject("SELECT VERSION()", String.class);
        } catch (Exception e) {
            return false; // the connector reports the database being down itself
        }
        if (version == null || !version.toLowerCase(java.util.Locale.ROOT).contains("mariadb")) {
            return false;
        }
        if (!mariaDbRefusalLogged) {
            LOG.error("log capture is not started: the old database is MariaDB ({}), where Debezium's MySQL connector loses the rows "
                    + "written while capture was stopped; use the polling capture (LOG_CAPTURE_ENABLED=false), or set "
                    + "log-capture.mariadb-despite-restart-loss=true", version);
            mariaDbRefusalLogged = true;
        }
        return true;
    }

    /** Debezium's streaming metrics MBean says it is connected to the log. */
    private boolean streaming() {
        try {
            javax.management.ObjectName name = new javax.management.ObjectName("debezium." + properties.connector()
                    + ":type=connector-metrics,context=streaming,server=" + javax.management.ObjectName.quote(properties.name()));
            javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
            if (!server.isRegistered(name)) {
                name = new javax.management.ObjectName("debezium." + properties.connector()
                        + ":type=connector-metrics,context=streaming,server=" + properties.name());
            }
            return server.isRegistered(name) && Boolean.TRUE.equals(server.getAttribute(name, "Connected"));
        } catch (Exception e) {
            return false;
        }
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
        if (lease.acquire(leaseTtl)) {
            if (!running && refusedMariaDb()) {
                return;
            }
            if (!running) {
                LOG.info("log capture starts ({} connector, slot/name '{}'): this instance holds the capture lease",
                        properties.connector(), properties.slotName());
                camel.getRouteController().startRoute(ROUTE);
                startedAt = System.currentTimeMillis();
            } else {
                restartWhenNotStreaming();
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
