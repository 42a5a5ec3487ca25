package org.imsmooth.sync.toim.log;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;

import org.apache.camel.component.debezium.configuration.ConfigurationValidation;
import org.apache.camel.component.debezium.mysql.DebeziumMySqlComponent;
import org.apache.camel.component.debezium.mysql.configuration.MySqlConnectorEmbeddedDebeziumConfiguration;
import org.apache.camel.component.debezium.postgres.DebeziumPostgresComponent;
import org.apache.camel.component.debezium.postgres.configuration.PostgresConnectorEmbeddedDebeziumConfiguration;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Debezium components of the log capture route ({@code debezium-postgres:<name>} /
 * {@code debezium-mysql:<name>}), configured from {@code log-capture.*} and the old system's JDBC URL:
 * only the mapped tables, no snapshot (history is the import's job: streaming starts where the log is
 * when capture first starts), offsets (and MySQL's schema history) in the state database
 * ({@link StateOffsetStore}, {@link StateSchemaHistory}).
 */
@Configuration(proxyBeanMethods = false)
public class LogCaptureComponents {

    static final String OFFSET_STORE = StateOffsetStore.class.getName();
    static final String SCHEMA_HISTORY = StateSchemaHistory.class.getName();

    /** Where the old database is, from its JDBC URL unless log-capture names it. */
    record Server(String host, int port, String database, String schema) {
        static Server of(LogCaptureProperties p, String jdbcUrl, int defaultPort) {
            URI uri = URI.create(jdbcUrl.replaceFirst("^jdbc:", ""));
            String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
            Map<String, String> query = new HashMap<>();
            if (uri.getQuery() != null) {
                for (String pair : uri.getQuery().split("&")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        query.put(pair.substring(0, eq), pair.substring(eq + 1));
                    }
                }
            }
            return new Server(p.hostname() != null ? p.hostname() : uri.getHost(),
                    p.port() != null ? p.port() : uri.getPort() > 0 ? uri.getPort() : defaultPort,
                    p.database() != null ? p.database() : path,
                    p.schema() != null ? p.schema() : query.getOrDefault("currentSchema", "public"));
        }
    }

    @Bean("debezium-postgres")
    DebeziumPostgresComponent debeziumPostgres(LogCaptureProperties p,
                                               @Qualifier("oldSystemDataSourceProperties") DataSourceProperties oldSystem,
                                               JdbcTemplate state) {
        String oldUrl = oldSystem.determineUrl();
        PostgresConnectorEmbeddedDebeziumConfiguration c = new PostgresCapture();
        if (oldUrl.startsWith("jdbc:postgresql:")) {
            Server server = Server.of(p, oldUrl, 5432);
            c.setDatabaseHostname(server.host());
            c.setDatabasePort(server.port());
            c.setDatabaseDbname(server.database());
            c.setTableIncludeList(p.tables().keySet().stream().map(t -> server.schema() + "." + t).collect(Collectors.joining(",")));
        }
        alike(p, oldSystem, c::setDatabaseUser, c::setDatabasePassword, c::setTopicPrefix, c::setSnapshotMode, c::setDecimalHandlingMode,
                c::setPollIntervalMs);
        c.setPluginName("pgoutput");
        c.setSlotName(p.slotName());
        c.setPublicationName(p.publicationName());
        c.setPublicationAutocreateMode("filtered");
        common(c, p, state);
        DebeziumPostgresComponent component = new DebeziumPostgresComponent();
        component.setConfiguration(c);
        return component;
    }

    @Bean("debezium-mysql")
    DebeziumMySqlComponent debeziumMySql(LogCaptureProperties p,
                                         @Qualifier("oldSystemDataSourceProperties") DataSourceProperties oldSystem,
                                         JdbcTemplate state) {
        String oldUrl = oldSystem.determineUrl();
        MySqlConnectorEmbeddedDebeziumConfiguration c = new MySqlCapture();
        if (oldUrl.startsWith("jdbc:mariadb:") || oldUrl.startsWith("jdbc:mysql:")) {
            Server server = Server.of(p, oldUrl, 3306);
            c.setDatabaseHostname(server.host());
            c.setDatabasePort(server.port());
            c.setDatabaseIncludeList(server.database());
            c.setTableIncludeList(p.tables().keySet().stream().map(t -> server.database() + "." + t).collect(Collectors.joining(",")));
        }
        alike(p, oldSystem, c::setDatabaseUser, c::setDatabasePassword, c::setTopicPrefix, c::setSnapshotMode, c::setDecimalHandlingMode,
                c::setPollIntervalMs);
        c.setDatabaseServerId(p.serverId());
        c.setIncludeSchemaChanges(false);
        c.setSchemaHistoryInternal(SCHEMA_HISTORY);
        c.setSchemaHistoryInternalStoreOnlyCapturedTablesDdl(true);
        Map<String, Object> extra = new HashMap<>(c.getAdditionalProperties());
        extra.put(StateSchemaHistory.CAPTURE, p.name());
        c.setAdditionalProperties(extra);
        common(c, p, state);
        DebeziumMySqlComponent component = new DebeziumMySqlComponent();
        component.setConfiguration(c);
        return component;
    }

    /**
     * The connector settings both connectors take alike, each through its own generated setter: the login
     * (log-capture's, else the old system's), the capture's name, no snapshot, decimals as doubles, the idle poll.
     */
    private static void alike(LogCaptureProperties p, DataSourceProperties oldSystem, Consumer<String> user, Consumer<String> password,
                              Consumer<String> topicPrefix, Consumer<String> snapshotMode, Consumer<String> decimalHandlingMode,
                              LongConsumer pollIntervalMs) {
        user.accept(p.user() != null ? p.user() : oldSystem.determineUsername());
        password.accept(p.password() != null ? p.password() : oldSystem.determinePassword());
        topicPrefix.accept(p.name());
        snapshotMode.accept("no_data");
        decimalHandlingMode.accept("double");
        pollIntervalMs.accept(p.pollIntervalMs());
    }

    private static void common(org.apache.camel.component.debezium.configuration.EmbeddedDebeziumConfiguration c,
                               LogCaptureProperties p, JdbcTemplate state) {
        c.setName(p.name());
        // offsets (and MySQL's schema history) in the state database, through the service's own pool
        CaptureStateStore.register(p.name(), state);
        c.setOffsetStorage(OFFSET_STORE);
        c.setOffsetFlushIntervalMs(p.offsetFlushMs());
    }

    /**
     * Camel refuses an empty database password when it creates the endpoint (even with capture off), but a
     * replication user may have none (PostgreSQL trust, MySQL socket or passwordless accounts): the server
     * judges the login when capture starts.
     */
    static final class PostgresCapture extends PostgresConnectorEmbeddedDebeziumConfiguration {
        @Override
        protected ConfigurationValidation validateConnectorConfiguration() {
            return ConfigurationValidation.valid();
        }
    }

    /** As {@link PostgresCapture}. */
    static final class MySqlCapture extends MySqlConnectorEmbeddedDebeziumConfiguration {
        @Override
        protected ConfigurationValidation validateConnectorConfiguration() {
            return ConfigurationValidation.valid();
        }
    }

}
