package org.imsmooth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.imsmooth.oldsystem.OldSystemSource;
import org.imsmooth.state.ImportHandOffs;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/**
 * The reader's hand-off markers for 1:1 history: one behind each pair a page completed (the page's last
 * pair stays open until a later page starts with another), none when the history is read in time
 * order, and none from the moment a pair comes back after another one (the query does not keep
 * pairs together, so a marker could hand off a pair whose history is still to come). A page's markers
 * go to the broker together, and count towards the reader's read-ahead bound.
 */
class HandOffMarkersTest {

    private static final String STAGE = "c2c-messages";

    private final OldSystemSource source = mock(OldSystemSource.class);
    /** Each send of the sink: the markers of one page, in order. */
    private final List<List<HandOffMarkers.Marker>> sends = new ArrayList<>();
    private final InlineBatchSending batchSenders = mock(InlineBatchSending.class);
    private final ImportHandOffs handOffs = mock(ImportHandOffs.class);
    private final HandOffMarkers markers = new HandOffMarkers(new OrderLanes(new MockEnvironment()), handOffs,
            (queue, page) -> {
                assertThat(queue).isEqualTo("im.import." + STAGE);
                sends.add(page);
            }, source, batchSenders);
    private final Exchange exchange = new DefaultExchange(new DefaultCamelContext());

    @Test
    void aMarkerFollowsEachPairThePagesCompleted() {
        when(source.readsByConversation(STAGE)).thenReturn(true);
        page(row(1, 1, 2), row(2, 2, 1), row(3, 1, 3));
        assertThat(markersSent()).containsExactly("1:2");
        page(row(4, 3, 1), row(5, 3, 2), row(6, 2, 3));
        assertThat(markersSent()).containsExactly("1:2", "1:3");
        page(row(7, 4, 2));
        assertThat(markersSent()).containsExactly("1:2", "1:3", "2:3");
        page(); // the last, empty page: the open pair is handed off by the stage's end
        assertThat(markersSent()).containsExactly("1:2", "1:3", "2:3");
        assertThat(sends).as("one send per page that completed pairs").hasSize(3);
    }

    @Test
    void aPagesMarkersGoTogetherAndCountForTheReadAhead() {
        when(source.readsByConversation(STAGE)).thenReturn(true);
        page(row(1, 1, 2), row(2, 1, 3), row(3, 1, 4), row(4, 2, 3), row(5, 2, 4));
        assertThat(sends).hasSize(1);
        assertThat(markersSent()).containsExactly("1:2", "1:3", "1:4", "2:3");
        long lanes = java.util.stream.Stream.of("1:2", "1:3", "1:4", "2:3")
                .map(c -> OrderLanes.lane(STAGE, c, OrderLanes.DEFAULT_LANES)).distinct().count();
        assertThat(sends.get(0)).as("one marker per lane").hasSize((int) lanes);
        verify(batchSenders).sentAlongside(STAGE, lanes);
        page(row(6, 2, 4));
        verify(batchSenders, never()).sentAlongside(STAGE, 0);
    }

    @Test
    void historyInTimeOrderGetsNoMarkers() {
        when(source.readsByConversation(STAGE)).thenReturn(false);
        page(row(1, 1, 2), row(2, 1, 3), row(3, 2, 3));
        page(row(4, 3, 4));
        assertThat(sends).isEmpty();
        verify(batchSenders, never()).sentAlongside(anyString(), anyLong());
    }

    @Test
    void aPairComingBackWithinAPageStopsTheMarkers() {
        when(source.readsByConversation(STAGE)).thenReturn(true);
        page(row(1, 1, 2), row(2, 1, 3), row(3, 2, 1), row(4, 2, 3)); // time order declared as conversation order
        page(row(5, 3, 4), row(6, 4, 5));
        assertThat(sends).isEmpty();
    }

    @Test
    void aPairComingBackOnTheNextPageStopsTheMarkers() {
        when(source.readsByConversation(STAGE)).thenReturn(true);
        page(row(1, 1, 2), row(2, 1, 3));
        assertThat(markersSent()).containsExactly("1:2");
        page(row(3, 1, 2), row(4, 2, 3), row(5, 3, 4));
        page(row(6, 4, 5));
        assertThat(markersSent()).as("nothing after the pair that came back").containsExactly("1:2");
    }

    private void page(Map<String, Object>... rows) {
        exchange.getMessage().setBody(new ArrayList<>(List.of(rows)));
        markers.pageRead(STAGE, exchange);
    }

    private static Map<String, Object> row(long id, long from, long to) {
        return Map.of("source_id", id, "from_id", from, "to_id", to, "kind", "text", "body", "m" + id, "sent_at", 1_700_000_000L + id);
    }

    private List<String> markersSent() {
        List<HandOffMarkers.Marker> all = sends.stream().flatMap(List::stream).toList();
        for (HandOffMarkers.Marker m : all) {
            assertThat(m.conversations()).as("the marker goes into its pairs' lane")
                    .allSatisfy(c -> assertThat(OrderLanes.lane(STAGE, c, OrderLanes.DEFAULT_LANES)).isEqualTo(m.lane()));
        }
        return all.stream().flatMap(m -> m.conversations().stream()).sorted().toList();
    }

    @Test
    void aMarkerHandsOffEveryConversationItNames() throws Exception {
        markers.reached("1:2", "[\"1:2\",\"3:4\"]", "im.import." + STAGE);
        verify(handOffs).record(STAGE, List.of("1:2", "3:4"));
        markers.reached("5:6", null, "im.import." + STAGE); // a marker of one conversation (queued by an earlier version)
        verify(handOffs).record(STAGE, List.of("5:6"));
    }

    @Test
    void aMarkerWhoseConversationsAreUnreadableFailsNamingTheHeaderAndRecordsNothing() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> markers.reached("1:2", "[\"1:2\",", "im.import." + STAGE))
                .isInstanceOf(org.imsmooth.canonical.RejectedRecordException.class).hasMessageContaining(HandOffMarkers.CONVERSATIONS)
                .hasMessageContaining("1:2")
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(((org.imsmooth.canonical.RejectedRecordException) e).sourceId())
                        .isEqualTo("1:2"));
        for (String notIds : List.of("[null]", "[\"1:2\",\" \"]", "{\"a\":1}", "null")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> markers.reached("1:2", notIds, "im.import." + STAGE))
                    .as(notIds).isInstanceOf(org.imsmooth.canonical.RejectedRecordException.class);
        }
        // a marker that names nothing at all (no header either way)
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> markers.reached(null, null, "im.import." + STAGE))
                .isInstanceOf(org.imsmooth.canonical.RejectedRecordException.class);
        verify(handOffs, never()).record(anyString(), org.mockito.ArgumentMatchers.<List<String>>any());
    }
}
