package org.imsmooth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.imsmooth.support.FreshStateDatabase;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.imsmooth.state.StageProgress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** A stage's calls wait while a stage it depends on is under way, and go as soon as it is done. */
class StageGateTest {

    private StageProgress progress;
    private StageGate gate;
    private final ExecutorService workers = Executors.newCachedThreadPool();
    /** How often a held worker read its dependencies' states: the marker that it looked, and kept waiting. */
    private final AtomicInteger looks = new AtomicInteger();

    @BeforeEach
    void stateDatabase() {
        javax.sql.DataSource dataSource = FreshStateDatabase.h2("stage-gate");
        progress = new StageProgress(new JdbcTemplate(dataSource), false) {
            @Override
            public String stateOf(String stage) {
                String state = super.stateOf(stage);
                looks.incrementAndGet();
                return state;
            }
        };
        Map<String, List<String>> stages = new LinkedHashMap<>();
        stages.put("groups", List.of());
        stages.put("group-members", List.of("groups"));
        gate = new StageGate(new MigrationProperties(true, false, stages, Duration.ofSeconds(10)), progress);
    }

    @AfterEach
    void stop() {
        workers.shutdownNow();
    }

    @Test
    void holdsWhileTheDependencyDrainsAndReleasesWhenItIsDone() throws Exception {
        progress.start("groups", 10);
        progress.state("groups", ImportOrchestrator.DRAINING);
        CompletableFuture<Void> worker = CompletableFuture.runAsync(this::awaitMembers, workers);

        heldAfterLookingAgain(worker);

        progress.finish("groups", ImportOrchestrator.DONE);
        gate.stageDone();
        worker.get(1, TimeUnit.SECONDS);
    }

    @Test
    void anotherInstanceSeesTheReleaseInTheDatabase() throws Exception {
        progress.start("groups", 10);
        CompletableFuture<Void> worker = CompletableFuture.runAsync(this::awaitMembers, workers);
        heldAfterLookingAgain(worker);

        progress.finish("groups", ImportOrchestrator.DONE); // no signal: the orchestrator runs elsewhere
        worker.get(2, TimeUnit.SECONDS);
    }

    @Test
    void aFailedDependencyKeepsTheCallsWaiting() throws Exception {
        progress.finish("groups", ImportOrchestrator.FAILED);
        CompletableFuture<Void> worker = CompletableFuture.runAsync(this::awaitMembers, workers);
        heldAfterLookingAgain(worker);
    }

    @Test
    void aStageRunOutsideThePlanIsNotHeld() throws Exception {
        // nothing started: a test or a replay runs the stage's pipeline by itself
        CompletableFuture.runAsync(this::awaitMembers, workers).get(1, TimeUnit.SECONDS);
        CompletableFuture.runAsync(() -> await("groups"), workers).get(1, TimeUnit.SECONDS);
        assertThatThrownBy(() -> gate.awaitDependencies("no-such-stage")).isInstanceOf(IllegalArgumentException.class);
    }

    /** The worker read the states, waited, and read them again (twice): it is held, not merely slow to start. */
    private void heldAfterLookingAgain(CompletableFuture<Void> worker) {
        int before = looks.get();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> looks.get() >= before + 3 || worker.isDone());
        assertThat(worker).isNotDone();
    }

    private void awaitMembers() {
        await("group-members");
    }

    private void await(String stage) {
        try {
            gate.awaitDependencies(stage);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
