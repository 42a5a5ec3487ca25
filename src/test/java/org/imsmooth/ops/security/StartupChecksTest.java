package org.imsmooth.ops.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import org.imsmooth.ImMigrationApplication;
import org.imsmooth.sandbox.standalone.SandboxStandalone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogs;
import org.springframework.mock.env.MockEnvironment;

/**
 * The configuration checks that run before any bean: "production" means the IM target (any IM but
 * the built-in sandbox), which needs the operator password, runs without the sandbox's endpoints and
 * needs signed callbacks (or a logged opt-out); an unreachable old database is named with its root
 * cause in one line; the demo never writes into a database it did not create.
 */
class StartupChecksTest {

    @TempDir Path temp;

    @Test
    void aProductionImNeedsTheOperatorPassword() {
        MockEnvironment env = production();
        env.setProperty("ops.password", "");
        assertThatThrownBy(() -> StartupChecks.check(env)).isInstanceOf(OperatorPasswordMissingException.class)
                .hasMessageContaining("OPS_PASSWORD").hasMessageContaining("not the built-in sandbox");
        // even with the sandbox left on: SANDBOX_ENABLED no longer decides what production is
        env.setProperty("sandbox.enabled", "true");
        assertThatThrownBy(() -> StartupChecks.check(env)).isInstanceOf(OperatorPasswordMissingException.class);
        assertThat(StartupChecks.passwordOptional(env)).isFalse();
    }

    @Test
    void aProductionImNeedsSignedCallbacksOrAnExplicitOptOut() {
        MockEnvironment env = production();
        env.setProperty("im.callback-token", "");
        assertThatThrownBy(() -> StartupChecks.check(env)).isInstanceOf(StartupRefusedException.class)
                .hasMessageContaining("IM_CALLBACK_TOKEN").hasMessageContaining("IM_ALLOW_UNSIGNED_CALLBACKS=true");
        env.setProperty("im.allow-unsigned-callbacks", "true");
        StartupChecks.Protections optedOut = StartupChecks.check(env);
        assertThat(optedOut.summary()).contains("IM callbacks: UNSIGNED");
        assertThat(optedOut.warning()).contains("IM_ALLOW_UNSIGNED_CALLBACKS=true");
        env.setProperty("im.allow-unsigned-callbacks", "false");
        env.setProperty("sync.im-to-old.enabled", "false");
        assertThat(StartupChecks.check(env).summary()).contains("IM callbacks: off");
    }

    @Test
    void theStartUpLineNamesTheProtectionsAndNoSecret() {
        MockEnvironment env = production();
        StartupChecks.Protections protections = StartupChecks.check(env);
        assertThat(protections.summary()).contains("production: IM at https://adminapisgp.im.qcloud.com")
                .contains("operator credential: configured (user operator)").contains("sandbox endpoints: off")
                .contains("IM callbacks: signed").contains("bodies <= 1048576 bytes").contains("Jolokia")
                .doesNotContain("pw-1f2e").doesNotContain("tok-9a8b").doesNotContain("\n");
        assertThat(protections.warning()).isNull();
        MockEnvironment demo = new MockEnvironment().withProperty("sandbox.enabled", "true");
        assertThat(StartupChecks.check(demo).summary()).startsWith("demo: the built-in IM sandbox")
                .contains("the documented DEMO password").contains("sandbox endpoints: on");
    }

    @Test
    void aProductionImSwitchesTheSandboxOffBeforeAnyBeanExists() {
        MockEnvironment env = new MockEnvironment().withProperty("im.base-url", "https://adminapisgp.im.qcloud.com")
                .withProperty("sandbox.enabled", "true");
        new ProductionMode(new DeferredLogs()).postProcessEnvironment(env, new SpringApplication(ImMigrationApplication.class));
        assertThat(env.getProperty("sandbox.enabled")).isEqualTo("false");
        for (String region : new String[] {"singapore", "guangzhou"}) {
            MockEnvironment byRegion = new MockEnvironment().withProperty("im.region", region).withProperty("sandbox.enabled", "true");
            new ProductionMode(new DeferredLogs()).postProcessEnvironment(byRegion, new SpringApplication(ImMigrationApplication.class));
            assertThat(byRegion.getProperty("sandbox.enabled")).as(region).isEqualTo("false");
        }
        // the built-in sandbox, and the stand-alone sandbox process, are left as they are
        MockEnvironment builtIn = new MockEnvironment().withProperty("sandbox.enabled", "true");
        new ProductionMode(new DeferredLogs()).postProcessEnvironment(builtIn, new SpringApplication(ImMigrationApplication.class));
        assertThat(builtIn.getProperty("sandbox.enabled")).isEqualTo("true");
        MockEnvironment standalone = new MockEnvironment().withProperty("im.base-url", "http://127.0.0.1:9")
                .withProperty("sandbox.enabled", "true");
        new ProductionMode(new DeferredLogs()).postProcessEnvironment(standalone, new SpringApplication(SandboxStandalone.class));
        assertThat(standalone.getProperty("sandbox.enabled")).isEqualTo("true");
        // an IM named where the post-processor could not see it: the checks still refuse the open sandbox
        MockEnvironment late = production();
        late.setProperty("sandbox.enabled", "true");
        assertThatThrownBy(() -> StartupChecks.check(late)).isInstanceOf(StartupRefusedException.class)
                .hasMessageContaining("SANDBOX_ENABLED=false");
    }

    @Test
    void anUnreachableOldDatabaseIsNamedWithItsRootCauseInOneLine() {
        MockEnvironment env = production();
        env.setProperty("oldsystem.datasource.url", "jdbc:postgresql://127.0.0.1:1/oldchat?password=db-pw-77");
        assertThatThrownBy(() -> StartupChecks.check(env)).isInstanceOf(StartupRefusedException.class)
                .satisfies(e -> assertThat(e.getMessage()).startsWith("The old system's database jdbc:postgresql://127.0.0.1:1/oldchat cannot be reached: ")
                        .contains("Connection refused").doesNotContain("\n").doesNotContain("db-pw-77"));
        // started on purpose while the old system is down: IM -> old writes wait for it; never with the demo
        env.setProperty("oldsystem.check-at-start", "false");
        assertThat(StartupChecks.check(env).summary()).contains("old-system database not checked at start");
        env.setProperty("oldsystem.demo.enabled", "true");
        assertThatThrownBy(() -> StartupChecks.check(env)).isInstanceOf(StartupRefusedException.class)
                .hasMessageContaining("OLD_SYSTEM_CHECK_AT_START");
    }

    @Test
    void theDemoNeverWritesIntoADatabaseItDidNotCreate() throws Exception {
        String users = "jdbc:h2:file:" + temp.resolve("their-chat") + ";AUTO_SERVER=TRUE";
        try (Connection c = DriverManager.getConnection(users, "sa", "")) {
            c.createStatement().execute("CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(50))");
            c.createStatement().execute("INSERT INTO customers VALUES (1, 'theirs')");
        }
        MockEnvironment explicit = demoOn(users, "true");
        assertThatThrownBy(() -> StartupChecks.check(explicit)).isInstanceOf(StartupRefusedException.class)
                .hasMessageContaining("OLD_SYSTEM_DEMO=true").hasMessageContaining("1 table(s)").hasMessageContaining("CUSTOMERS")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        // unset (auto): the database is the user's old system, read and never written by the demo
        MockEnvironment auto = demoOn(users, null);
        assertThat(StartupChecks.check(auto).summary()).contains("demo data: off");
        assertThat(tables(users)).containsExactly("CUSTOMERS");
        // an empty database of the user's: the demo is allowed when asked for, and not otherwise
        String empty = "jdbc:h2:file:" + temp.resolve("empty") + ";AUTO_SERVER=TRUE";
        assertThat(StartupChecks.check(demoOn(empty, "true")).summary()).contains("demo data: on");
        assertThat(StartupChecks.check(demoOn(empty, null)).summary()).contains("demo data: off");
        assertThat(tables(empty)).isEmpty();
        // a value that is none of auto/true/false is refused rather than guessed
        assertThatThrownBy(() -> StartupChecks.check(demoOn(empty, "yes please"))).hasMessageContaining("OLD_SYSTEM_DEMO");
    }

    private static MockEnvironment production() {
        return new MockEnvironment().withProperty("im.base-url", "https://adminapisgp.im.qcloud.com/")
                .withProperty("ops.password", "pw-1f2e").withProperty("im.callback-token", "tok-9a8b")
                .withProperty("sandbox.enabled", "false");
    }

    private static MockEnvironment demoOn(String url, String setting) {
        MockEnvironment env = new MockEnvironment().withProperty("sandbox.enabled", "true")
                .withProperty("oldsystem.datasource.url", url).withProperty("oldsystem.datasource.username", "sa");
        if (setting != null) {
            env.setProperty("oldsystem.demo.enabled", setting);
        }
        return env;
    }

    private static List<String> tables(String url) throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, "sa", "");
             ResultSet rs = c.getMetaData().getTables(null, "PUBLIC", "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                names.add(rs.getString("TABLE_NAME"));
            }
        }
        return names;
    }
}
