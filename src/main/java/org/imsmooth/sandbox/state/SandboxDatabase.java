package org.imsmooth.sandbox.state;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.imsmooth.sandbox.ConditionalOnSandbox;
import org.imsmooth.sandbox.SandboxProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import jakarta.annotation.PreDestroy;

/**
 * The sandbox's own H2 database. The pool is deliberately not a DataSource bean: a second DataSource
 * bean would switch off Boot's auto-configured DataSource for the service's state.
 */
@Component
@ConditionalOnSandbox
public class SandboxDatabase {

    private static final Logger log = LoggerFactory.getLogger(SandboxDatabase.class);
    private static final List<String> TABLES = List.of("sb_account", "sb_profile", "sb_friend", "sb_c2c_msg",
            "sb_c2c_read", "sb_group", "sb_group_member", "sb_group_msg");

    private final HikariDataSource dataSource;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public SandboxDatabase(SandboxProperties props) {
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(props.getStateUrl());
        cfg.setUsername("sa");
        cfg.setPassword("");
        cfg.setPoolName("sandbox-state");
        // Two cores: a few connections keep H2 busy without lock convoys.
        cfg.setMaximumPoolSize(8);
        cfg.setMinimumIdle(2);
        this.dataSource = new HikariDataSource(cfg);
        this.jdbc = new JdbcTemplate(dataSource);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        createSchema();
        log.info("IM sandbox state at {}", props.getStateUrl().replaceAll(";.*", ""));
    }

    private void createSchema() {
        String ddl;
        try (InputStream in = getClass().getResourceAsStream("/sandbox/schema.sql")) {
            if (in == null) {
                throw new IllegalStateException("classpath:sandbox/schema.sql missing");
            }
            ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read sandbox schema", e);
        }
        for (String stmt : ddl.replaceAll("(?m)^--.*$", "").split(";")) {
            if (!stmt.isBlank()) {
                jdbc.execute(stmt.trim());
            }
        }
    }

    public JdbcTemplate jdbc() { return jdbc; }

    public TransactionTemplate tx() { return tx; }

    /** Wipes every table (tests and demos). */
    public void wipe() {
        tx.executeWithoutResult(s -> TABLES.forEach(t -> jdbc.execute("DELETE FROM " + t)));
    }

    @PreDestroy
    public void close() {
        dataSource.close();
    }
}
