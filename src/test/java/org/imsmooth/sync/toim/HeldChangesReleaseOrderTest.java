package org.imsmooth.sync.toim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import org.imsmooth.support.FreshStateDatabase;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A held change released onto the queue is never overtaken by a newer change of its conversation that
 * the sender takes in the meantime (one that was on the queue ahead of the released change): its row
 * stays in the line, marked released, until the sender has handled it, so the newer change is held
 * behind it and follows at the next release. The queue here is a list in broker order, and the sender
 * is the real {@link OldToImSender}, whose IM calls are recorded in order.
 */
class HeldChangesReleaseOrderTest {

    private static final String STAGE = ChangeRouting.C2C_STAGE;
    private static final String CONVERSATION = "u1|u2";

    private record Queued(String payload, boolean released) {
    }

    private final Deque<Queued> queue = new ArrayDeque<>();
    private final List<String> sentToIm = new ArrayList<>();
    private final ProducerTemplate producer = mock(ProducerTemplate.class);
    /** Runs inside the release, right after a change went onto the queue (before the release goes on). */
    private Runnable duringRelease = () -> { };
    private JdbcTemplate jdbc;
    private HeldChanges held;
    private OldToImSender sender;
    private ChangeMessages messages;
    private final DefaultCamelContext camel = new DefaultCamelContext();

    @BeforeEach
    void setUp() {
        javax.sql.DataSource dataSource = FreshStateDatabase.h2("held-release");
        jdbc = new JdbcTemplate(dataSource);

        ChangeRouting routing = mock(ChangeRouting.class);
        when(routing.conversation(any())).thenReturn(CONVERSATION);
        when(routing.awaitedStage(any())).thenReturn(STAGE);
        messages = new ChangeMessages(routing);
        ImportHandOff handOff = mock(ImportHandOff.class); // the import stage is done: nothing waits for it any more
        CaptureLease lease = mock(CaptureLease.class);
        when(lease.acquire(any())).thenReturn(true);
        doAnswer(call -> {
            queue.addLast(new Queued(call.getArgument(1), true));
            duringRelease.run();
            return null;
        }).when(producer).sendBodyAndHeader(eq(HeldChanges.ENQUEUE), any(), eq(HeldChanges.RELEASED), eq(true));
        held = new HeldChanges(jdbc, handOff, lease, producer, messages);

        SentChanges sent = mock(SentChanges.class);
        when(sent.skipReason(any())).thenReturn(Optional.empty());
        C2cMessageSender c2c = mock(C2cMessageSender.class);
        when(c2c.send(any())).thenAnswer(call -> {
            OldSystemChange change = call.getArgument(0);
            sentToIm.add(change.sourceId());
            return "key-" + change.sourceId();
        });
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        sender = new OldToImSender(messages, routing, sent, held, c2c, mock(GroupMessageSender.class), mock(GroupChangeSender.class),
                new SyncLatency(meters), new SyncStages(meters), meters);
    }

    /** The case the old release lost: the newer change is taken after the release, before the released one. */
    @Test
    void aNewerChangeTakenAfterTheReleaseWaitsBehindTheReleasedOne() {
        held.hold(CONVERSATION, change("1"), STAGE, messages.write(change("1")));
        queue.addLast(new Queued(messages.write(change("2")), false)); // arrived while 1 was held

        assertThat(held.release()).isEqualTo(1);
        drain();
        assertThat(sentToIm).containsExactly("1");
        assertThat(rows()).containsExactly("c2c_message:2"); // 2 now waits in the line, 1's row is gone

        assertThat(held.release()).isEqualTo(1);
        drain();
        assertThat(sentToIm).containsExactly("1", "2");
        assertThat(held.count()).isZero();
    }

    /** The newer change is taken while the release runs: between the released change's send and its mark. */
    @Test
    void aNewerChangeTakenDuringTheReleaseWaitsBehindTheReleasedOne() {
        held.hold(CONVERSATION, change("1"), STAGE, messages.write(change("1")));
        queue.addLast(new Queued(messages.write(change("2")), false));
        duringRelease = () -> handle(queue.pollFirst()); // only change 2 is ahead of the released one

        held.release();
        duringRelease = () -> { };
        assertThat(sentToIm).isEmpty();
        drain();
        held.release();
        drain();
        assertThat(sentToIm).containsExactly("1", "2");
        assertThat(held.count()).isZero();
    }

    /** The sender handles the released change before the release marks it: the row is gone, not left marked. */
    @Test
    void aReleasedChangeHandledBeforeItsMarkLeavesNoRow() {
        held.hold(CONVERSATION, change("1"), STAGE, messages.write(change("1")));
        duringRelease = this::drain;

        assertThat(held.release()).isEqualTo(1);
        assertThat(sentToIm).containsExactly("1");
        assertThat(held.count()).isZero();
        queue.addLast(new Queued(messages.write(change("2")), false));
        duringRelease = () -> { };
        drain();
        assertThat(sentToIm).containsExactly("1", "2");
    }

    /** A released line is not sent twice while it waits on the queue; once stale, it goes again, in order. */
    @Test
    void aStaleReleasedLineIsSentAgainInOrder() {
        for (String id : List.of("1", "2", "3")) {
            held.hold(CONVERSATION, change(id), STAGE, messages.write(change(id)));
        }
        assertThat(held.release()).isEqualTo(3);
        assertThat(held.release()).isZero();
        queue.clear(); // say the changes were lost (dead-lettered after their retries)

        held.resendAfter(Duration.ZERO);
        assertThat(held.release()).isEqualTo(3);
        drain();
        assertThat(sentToIm).containsExactly("1", "2", "3");
        assertThat(held.count()).isZero();
    }

    private void drain() {
        while (!queue.isEmpty()) {
            handle(queue.pollFirst());
        }
    }

    private void handle(Queued message) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(message.payload());
        if (message.released()) {
            exchange.getMessage().setHeader(HeldChanges.RELEASED, true);
        }
        sender.handle(exchange);
    }

    private List<String> rows() {
        return jdbc.queryForList("SELECT change_id FROM sync_held_change ORDER BY seq", String.class);
    }

    private static OldSystemChange change(String id) {
        return new OldSystemChange("c2c_message", id, 1_000L + Long.parseLong(id), "1", "2", null, null, "text", "m" + id, null, null,
                null, null, null, null, null, null, null);
    }
}
