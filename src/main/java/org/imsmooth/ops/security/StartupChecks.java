package org.imsmooth.ops.security;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.imsmooth.broker.ClusterNodeUrls;
import org.imsmooth.oldsystem.demo.DemoDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Every configuration check, before any bean exists: so before the broker starts, Flyway migrates,
 * the demo writes or an import begins. A failed check stops the service with one sentence (a
 * {@link StartupRefusedException}); a passed set logs one line naming the protections in force.
 * <ul>
 * <li>A production IM ({@link ImTarget}) needs {@code OPS_PASSWORD}, runs without the sandbox's
 *     endpoints, and, while IM → old-system sync is on, needs {@code IM_CALLBACK_TOKEN} (or the
 *     explicit, logged opt-out {@code IM_ALLOW_UNSIGNED_CALLBACKS=true}).</li>
 * <li>The old system's database answers (else: its root cause, first line), unless
 *     {@code OLD_SYSTEM_CHECK_AT_START=false} lets the service start while it is down (IM -> old writes wait).</li>
 * <li>The demo writes only into a database it may ({@link DemoDatabase}).</li>
 * <li>Every entry of {@code broker.cluster-node-urls} is one broker node's address ({@link ClusterNodeUrls}).</li>
 * </ul>
 */
public final class StartupChecks implements BeanFactoryPostProcessor, EnvironmentAware {

    private static final Logger LOG = LoggerFactory.getLogger("ops.security.startup");

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        Protections protections = check(environment);
        LOG.info("Protections: {}", protections.summary());
        if (protections.warning() != null) {
            LOG.warn(protections.warning());
        }
    }

    record Protections(String summary, String warning) {
    }

    static Protections check(Environment environment) {
        boolean production = ImTarget.production(environment);
        boolean sandbox = environment.getProperty("sandbox.enabled", Boolean.class, false);
        List<String> on = new ArrayList<>();
        String warning = null;
        on.add((production ? "production: " : "demo: ") + ImTarget.describe(environment));

        OperatorProperties operator = Binder.get(environment).bind("ops", OperatorProperties.class)
                .orElse(new OperatorProperties(null, null));
        OperatorCredential credential = OperatorCredential.resolve(operator, passwordOptional(environment));
        on.add(credential.demo() ? "operator credential: the documented DEMO password" : "operator credential: configured (user "
                + LogSafe.value(credential.user()) + ")");
        if (production && sandbox) {
            throw new StartupRefusedException("IM is not the built-in sandbox (" + ImTarget.describe(environment) + "), but the "
                    + "sandbox's endpoints (/v4/**, /sandbox/**) are on: set SANDBOX_ENABLED=false.");
        }
        on.add("sandbox endpoints: " + (sandbox ? "on (/v4/**, /sandbox/** open)" : "off"));

        boolean imToOld = environment.getProperty("sync.im-to-old.enabled", Boolean.class, true);
        boolean token = !environment.getProperty("im.callback-token", "").isBlank();
        boolean unsignedAllowed = environment.getProperty("im.allow-unsigned-callbacks", Boolean.class, false);
        if (!imToOld) {
            on.add("IM callbacks: off (sync.im-to-old.enabled=false)");
        } else if (token) {
            on.add("IM callbacks: signed (IM_CALLBACK_TOKEN, RequestTime within 60 s)");
        } else if (production && !unsignedAllowed) {
            throw new StartupRefusedException("IM -> old-system sync is on and IM is not the built-in sandbox, but IM_CALLBACK_TOKEN "
                    + "(im.callback-token) is not set: anyone could write into the old system through /im/callback. Set IM_CALLBACK_TOKEN "
                    + "to the token of IM's callback authentication, or SYNC_IM_TO_OLD_ENABLED=false, or accept unsigned callbacks "
                    + "explicitly with IM_ALLOW_UNSIGNED_CALLBACKS=true.");
        } else {
            on.add("IM callbacks: UNSIGNED (checked by SdkAppid only)");
            if (production) {
                warning = "IM_ALLOW_UNSIGNED_CALLBACKS=true: /im/callback accepts unsigned callbacks that name this SdkAppid; "
                        + "set IM_CALLBACK_TOKEN to require IM's signature";
            }
        }
        on.add("old-system intake: " + (environment.getProperty("old-system-intake.secret", "").isBlank()
                ? "off (no INTAKE_SECRET)" : "shared secret"));
        SecurityLimits limits = Binder.get(environment).bindOrCreate("ops.security", SecurityLimits.class);
        on.add("open endpoints' bodies <= " + limits.maxRequestBody().toBytes() + " bytes");
        on.add("operator logins: " + limits.loginFailures() + " failures per client per " + limits.loginWindow().toSeconds() + " s");
        on.add("Jolokia: read, DLQ queue and route operations only; no CORS");
        on.add(oldSystem(environment));
        clusterNodes(environment);
        return new Protections(String.join("; ", on), warning);
    }

    /** Every entry of broker.cluster-node-urls names one node: a malformed one would keep every stage from ending. */
    private static void clusterNodes(Environment environment) {
        List<String> entries = Binder.get(environment).bind(ClusterNodeUrls.PROPERTY, Bindable.listOf(String.class)).orElse(List.of());
        try {
            ClusterNodeUrls.parse(entries);
        } catch (IllegalArgumentException e) {
            throw new StartupRefusedException(e.getMessage());
        }
    }

    /** The documented demo password only with the built-in sandbox on and targeted. */
    static boolean passwordOptional(Environment environment) {
        return ImTarget.builtInSandbox(environment) && environment.getProperty("sandbox.enabled", Boolean.class, false);
    }

    /** Reachable, and a database the demo may write into if the demo is on. */
    private static String oldSystem(Environment environment) {
        String url = environment.getProperty("oldsystem.datasource.url", "");
        String setting = DemoDatabase.setting(environment.getProperty("oldsystem.demo.enabled"));
        boolean demo = DemoDatabase.wanted(setting, url);
        String demoText = "demo data: " + (demo ? "on" : "off");
        if (url.isBlank() || url.trim().toLowerCase(java.util.Locale.ROOT).startsWith("jdbc:h2:mem:")) {
            return demoText; // in this process: nothing to reach, nobody else's data
        }
        if (!environment.getProperty("oldsystem.check-at-start", Boolean.class, true)) {
            if (demo) {
                throw new StartupRefusedException("oldsystem.check-at-start=false (OLD_SYSTEM_CHECK_AT_START) and the demo is on: "
                        + "the demo may only write into a database it has checked. Turn one of them off.");
            }
            return demoText + "; old-system database not checked at start (OLD_SYSTEM_CHECK_AT_START=false)";
        }
        Properties credentials = new Properties();
        String user = environment.getProperty("oldsystem.datasource.username");
        String password = environment.getProperty("oldsystem.datasource.password");
        if (user != null && !user.isEmpty()) {
            credentials.setProperty("user", user);
        }
        if (password != null && !password.isEmpty()) {
            credentials.setProperty("password", password);
        }
        DriverManager.setLoginTimeout(10);
        try (Connection c = DriverManager.getConnection(url.trim(), credentials)) {
            DemoDatabase.checkWritable(c, setting, url);
        } catch (SQLException e) {
            throw new StartupRefusedException("The old system's database " + DemoDatabase.JdbcUrls.withoutSecrets(url)
                    + " cannot be reached: " + rootCause(e) + " (OLD_SYSTEM_DB_URL, OLD_SYSTEM_DB_USER, OLD_SYSTEM_DB_PASSWORD)");
        } catch (DemoDatabase.DemoRefusedException e) {
            throw new StartupRefusedException(e.getMessage());
        }
        return demoText;
    }

    static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "" : root.getMessage();
        int newline = message.indexOf('\n');
        return root.getClass().getSimpleName() + ": " + LogSafe.value(newline < 0 ? message : message.substring(0, newline));
    }
}
