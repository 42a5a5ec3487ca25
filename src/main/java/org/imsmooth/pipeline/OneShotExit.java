package org.imsmooth.pipeline;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ApplicationContext;
import org.springframework.stereotype.Component;

/**
 * One-shot mode's ({@code migration.exit-when-done=true}) exit codes, once per run:
 * <ul>
 * <li>{@value #BALANCED}: the reconciliation balances;</li>
 * <li>{@value #NOT_BALANCED}: it does not (the report lists the differences);</li>
 * <li>{@value #COULD_NOT_FINISH}: the import could not finish: IM or the old system unreachable, or a
 * reader failing, for longer than {@code migration.give-up-after}, or the reconciliation could not be
 * built. The state is kept: a rerun resumes where this one stopped.</li>
 * </ul>
 * {@code migration.give-up-after} defaults to 30 minutes in one-shot mode and to never for the service.
 */
@Component
public class OneShotExit {

    public static final int BALANCED = 0;
    public static final int NOT_BALANCED = 1;
    public static final int COULD_NOT_FINISH = 2;

    private static final Logger LOG = LoggerFactory.getLogger("migration.one-shot");
    private static final Duration ONE_SHOT_GIVE_UP_AFTER = Duration.ofMinutes(30);

    private final boolean oneShot;
    private final Duration giveUpAfter;
    private final ObjectProvider<ProcessExit> exit;
    private final ApplicationContext context;
    private final AtomicBoolean exiting = new AtomicBoolean();
    private ProcessExit fixedExit;

    @org.springframework.beans.factory.annotation.Autowired
    public OneShotExit(MigrationProperties properties, @Value("${migration.give-up-after:}") String giveUpAfter,
                       ObjectProvider<ProcessExit> exit, ApplicationContext context) {
        this.oneShot = properties.exitWhenDone();
        this.giveUpAfter = giveUpAfter == null || giveUpAfter.isBlank()
                ? (oneShot ? ONE_SHOT_GIVE_UP_AFTER : null)
                : "none".equalsIgnoreCase(giveUpAfter.trim()) ? null : parse(giveUpAfter.trim());
        this.exit = exit;
        this.context = context;
    }

    /** One-shot mode ({@code oneShot}) with this give-up time (null: never) and way to exit; for tests. */
    public OneShotExit(boolean oneShot, Duration giveUpAfter, ProcessExit exit) {
        this.oneShot = oneShot;
        this.giveUpAfter = giveUpAfter;
        this.exit = null;
        this.context = null;
        this.fixedExit = exit;
    }

    /** How long an outage or a failing reader may last before the run gives up; empty: never. */
    public Optional<Duration> giveUpAfter() {
        return Optional.ofNullable(giveUpAfter);
    }

    public boolean oneShot() {
        return oneShot;
    }

    /** Exits with {@code code} in one-shot mode (the first call wins); the service keeps running otherwise. */
    public void exit(int code, String why) {
        if (!oneShot) {
            return;
        }
        if (!exiting.compareAndSet(false, true)) {
            return;
        }
        LOG.info("One-shot mode: exiting with {} ({})", code, why);
        ProcessExit process = fixedExit != null ? fixedExit : exit.getIfAvailable(() -> c -> new Thread(
                () -> System.exit(SpringApplication.exit(context, () -> c)), "one-shot-exit").start());
        process.exit(code);
    }

    private static Duration parse(String text) {
        try {
            return org.springframework.boot.convert.DurationStyle.detectAndParse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("migration.give-up-after must be a duration (e.g. 30m, 2h) or 'none', not '" + text + "'");
        }
    }
}
