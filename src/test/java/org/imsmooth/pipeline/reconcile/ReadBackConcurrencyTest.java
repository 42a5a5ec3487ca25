package org.imsmooth.pipeline.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.imsmooth.support.FreshStateDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.imsmooth.im.ImAccounts;
import org.imsmooth.im.ImFriends;
import org.imsmooth.im.ImProfiles;
import org.imsmooth.im.api.account.AccountCheckItem;
import org.imsmooth.im.api.account.AccountCheckRequest;
import org.imsmooth.im.api.account.AccountCheckResult;
import org.imsmooth.im.api.account.UserIdItem;
import org.imsmooth.im.api.sns.FriendData;
import org.imsmooth.im.api.sns.FriendGetRequest;
import org.imsmooth.im.api.sns.FriendGetResult;
import org.imsmooth.pipeline.ApiQuotas;
import org.imsmooth.pipeline.pacing.LocalCallPermits;
import org.imsmooth.pipeline.pacing.PacingClock;
import org.imsmooth.state.IdMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.env.MockEnvironment;

/**
 * Issue 19, reconciliation at the quota: the read-back's calls run side by side on a bounded pool (a
 * sequential read-back made one call at a time, 1 / latency calls per second), every one of them
 * through {@link ApiQuotas#acquire} for its own API, with the same calls as before (pages of 100
 * accounts, one friend_get per user). The fake IM counts calls in flight; no wall-clock assertion.
 */
@ExtendWith(OutputCaptureExtension.class)
class ReadBackConcurrencyTest {

    private static final int THREADS = 8;
    /** The first calls wait (at most ten seconds) until this many are in flight at once. */
    private static final int TOGETHER = 4;

    private IdMap idMap;
    private final ReconciliationProgress progress = new ReconciliationProgress(1);
    private final Map<String, AtomicInteger> acquired = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final CountDownLatch together = new CountDownLatch(1);
    private volatile boolean gaveUpWaiting;
    private final List<String> checkedAccounts = new CopyOnWriteArrayList<>();
    private final AtomicInteger accountCalls = new AtomicInteger();
    private final AtomicInteger friendCalls = new AtomicInteger();
    private final ReadBackPool pool = new ReadBackPool(THREADS);
    private UserReadBack users;

    @BeforeEach
    void setUp() {
        javax.sql.DataSource dataSource = FreshStateDatabase.h2("read-back");
        idMap = new IdMap(new JdbcTemplate(dataSource));
        PacingClock clock = PacingClock.SYSTEM;
        ApiQuotas quotas = new ApiQuotas(new MockEnvironment(), new LocalCallPermits(clock), clock) {
            @Override
            public void acquire(String command) {
                acquired.computeIfAbsent(command, c -> new AtomicInteger()).incrementAndGet();
                super.acquire(command);
            }
        };
        ImAccounts accounts = new ImAccounts(null) {
            @Override
            public AccountCheckResult accountCheck(AccountCheckRequest request) {
                accountCalls.incrementAndGet();
                return inFlight(() -> new AccountCheckResult(request.checkItem().stream().map(UserIdItem::userId)
                        .peek(checkedAccounts::add)
                        .map(u -> new AccountCheckItem(u, 0, "", AccountCheckItem.IMPORTED)).toList()));
            }
        };
        ImFriends friends = new ImFriends(null) {
            @Override
            public FriendGetResult friendGet(FriendGetRequest request) {
                friendCalls.incrementAndGet();
                // every user's friends are the next two users
                int user = Integer.parseInt(request.fromAccount().substring(1));
                return inFlight(() -> new FriendGetResult(List.of(new FriendData("u" + (user + 1), null), new FriendData("u" + (user + 2), null)),
                        0, 0, 2, 1, null));
            }
        };
        users = new UserReadBack(accounts, new ImProfiles(null), friends, idMap, new PacedCalls(quotas, progress));
    }

    /** A call to the fake IM: the first ones wait until {@link #TOGETHER} are in flight (a sequential caller never gets there). */
    private <T> T inFlight(java.util.function.Supplier<T> answer) {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            if (now >= TOGETHER) {
                together.countDown();
            }
            if (!gaveUpWaiting && !together.await(10, TimeUnit.SECONDS)) {
                gaveUpWaiting = true;
            }
            return answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private ReadBack readBack(String kind, Sample sample) {
        long acknowledged = idMap.count(kind, IdMap.DONE);
        Sample.Picker picker = sample.picker(acknowledged);
        return new ReadBack(kind, picker, pool.tasks(), progress.readingBack(kind, picker.wanted()).checked, 1000);
    }

    @Test
    void friendsAreReadBackSeveralUsersAtOnceEachCallPacedForItsApi() {
        for (int u = 0; u < 60; u++) {
            idMap.recordDone("friends", u + ":" + (u + 1), "u" + u + ":u" + (u + 1), "old", null, null);
            idMap.recordDone("friends", u + ":" + (u + 2), "u" + u + ":u" + (u + 2), "old", null, null);
        }
        progress.start(List.of("friends"), Sample.ALL.describe());
        ReadBack result = readBack("friends", Sample.ALL);
        users.friends(result);
        result.await();
        progress.finish(true);

        assertThat(result.checked()).isEqualTo(120);
        assertThat(result.failed()).isZero();
        assertThat(friendCalls.get()).as("one friend_get per user, as before").isEqualTo(60);
        assertThat(acquired.get("friend_get").get()).as("every call took its slot of friend_get's quota").isEqualTo(60);
        assertThat(maxInFlight.get()).as("calls in flight at once").isGreaterThanOrEqualTo(TOGETHER).isLessThanOrEqualTo(THREADS);
        assertThat(gaveUpWaiting).isFalse();
    }

    @Test
    void accountsArePagedByAHundredAndTheirPagesCheckedSideBySide() {
        for (int u = 0; u < 1000; u++) {
            idMap.recordDone("accounts", String.format("%04d", u), String.format("u%04d", u), "old", null, null);
        }
        ReadBack result = readBack("accounts", Sample.ALL);
        users.accounts(result);
        result.await();

        assertThat(result.checked()).isEqualTo(1000);
        assertThat(accountCalls.get()).isEqualTo(10);
        assertThat(acquired.get("account_check").get()).isEqualTo(10);
        assertThat(maxInFlight.get()).isGreaterThanOrEqualTo(TOGETHER);
    }

    @Test
    void aSampleReadsBackNRecordsSpreadOverTheWholeIdMapAndTheProgressCountsThem() {
        for (int u = 0; u < 1000; u++) {
            idMap.recordDone("accounts", String.format("%04d", u), String.format("u%04d", u), "old", null, null);
        }
        progress.start(List.of("accounts"), Sample.parse("100").describe());
        ReadBack result = readBack("accounts", Sample.parse("100"));
        users.accounts(result);
        result.await();
        progress.finish(true);

        assertThat(result.checked()).isEqualTo(100);
        assertThat(accountCalls.get()).isEqualTo(1);
        List<String> expected = new ArrayList<>();
        for (int i = 9; i < 1000; i += 10) {
            expected.add(String.format("u%04d", i));
        }
        assertThat(checkedAccounts).as("every tenth account, to the last").containsExactlyInAnyOrderElementsOf(expected);

        Map<String, Object> status = progress.snapshot();
        assertThat(status.get("phase")).isEqualTo("done");
        assertThat(status.get("sample")).asString().startsWith("100 acknowledged records per kind");
        @SuppressWarnings("unchecked")
        Map<String, Object> accounts = (Map<String, Object>) ((Map<String, Object>) status.get("kinds")).get("accounts");
        assertThat(accounts).containsEntry("checked", 100L).containsEntry("total", 100L);
        assertThat(status.get("calls")).isEqualTo(Map.of("account_check", 1L));
    }

    @Test
    void aFailedCallIsThrownToTheReconcilerAsItself() {
        for (int u = 0; u < 1000; u++) {
            idMap.recordDone("accounts", String.format("%04d", u), String.format("u%04d", u), "old", null, null);
        }
        ImAccounts broken = new ImAccounts(null) {
            @Override
            public AccountCheckResult accountCheck(AccountCheckRequest request) {
                accountCalls.incrementAndGet();
                throw new IllegalArgumentException("no such API");
            }
        };
        ApiQuotas quotas = new ApiQuotas(new MockEnvironment(), new LocalCallPermits(PacingClock.SYSTEM), PacingClock.SYSTEM);
        UserReadBack failing = new UserReadBack(broken, new ImProfiles(null), new ImFriends(null), idMap, new PacedCalls(quotas, progress));
        ReadBack result = readBack("accounts", Sample.ALL);
        assertThatThrownBy(() -> {
            failing.accounts(result);
            result.await();
        }).isInstanceOf(IllegalArgumentException.class).hasMessage("no such API");
    }

    @Test
    void theLogShowsTheProgressOncePerInterval(CapturedOutput output) {
        progress.start(List.of("accounts", "friends"), Sample.ALL.describe());
        progress.comparing("accounts");
        progress.compared("accounts");
        AtomicLong checked = progress.readingBack("accounts", 250).checked;
        checked.addAndGet(120);
        progress.called("account_check");
        progress.tick();
        progress.finish(true);
        assertThat(output.getOut()).contains("Reconciliation: comparing -, reading back accounts; read back accounts 120/250;")
                .contains("Reconciliation done after");
    }

    @Test
    void thePoolIsSizedFromTheQuotaAndTheExpectedLatency() {
        assertThat(ReadBackPool.threadsFor(200, 50)).isEqualTo(15);
        assertThat(ReadBackPool.threadsFor(200, 100)).isEqualTo(30);
        assertThat(ReadBackPool.threadsFor(1, 10)).isEqualTo(2);
        PacingClock clock = PacingClock.SYSTEM;
        ApiQuotas quotas = new ApiQuotas(new MockEnvironment().withProperty("pipeline.quota.friend_get", "400"), new LocalCallPermits(clock), clock);
        assertThat(ReadBackPool.threads(new MockEnvironment().withProperty("migration.reconcile.expected-latency-ms", "50"), quotas))
                .as("the fastest read-back API sets it").isEqualTo(30);
        assertThat(ReadBackPool.threads(new MockEnvironment().withProperty("migration.reconcile.threads", "5"), quotas)).isEqualTo(5);
    }

    @Test
    void sampleSettingIsAllOrANumber() {
        assertThat(Sample.parse("all").all()).isTrue();
        assertThat(Sample.parse(" ALL ").all()).isTrue();
        assertThat(Sample.parse("25").perKind()).isEqualTo(25);
        assertThatThrownBy(() -> Sample.parse("some")).hasMessageContaining("migration.reconcile.sample");
        assertThatThrownBy(() -> Sample.parse("-1")).hasMessageContaining("migration.reconcile.sample");
        Sample.Picker picker = Sample.parse("3").picker(7);
        List<Integer> taken = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            if (picker.take()) {
                taken.add(i);
            }
        }
        assertThat(taken).containsExactly(2, 4, 6);
    }
}
