package org.imsmooth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.imsmooth.oldsystem.OldSystemSource;
import org.imsmooth.state.ImportHandOffs;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.mock.env.MockEnvironment;

/**
 * The reader's hand-off markers for 1:1 history: one behind each pair a page completed (the page's last
 * pair stays open until a later page starts with another), none when the history is read in time
 * order, and none from the moment a pair comes back after another one (the query does not keep
 * pairs together, so a marker could hand off a pair whose history is still to come).
 */
class HandOffMarkersTest {

    private static final String STAGE = "c2c-messages";

    private final OldSystemSource source = mock(OldSystemSource.class);
    private final ProducerTemplate producer = mock(ProducerTemplate.class);
    private final HandOffMarkers markers = new HandOffMarkers(new OrderLanes(new MockEnvironment()), mock(ImportHandOffs.class),
            producer, source);
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
    }

    @Test
    void historyInTimeOrderGetsNoMarkers() {
        when(source.readsByConversation(STAGE)).thenReturn(false);
        page(row(1, 1, 2), row(2, 1, 3), row(3, 2, 3));
        page(row(4, 3, 4));
        verify(producer, never()).sendBodyAndHeaders(eq("jms:queue:im.import." + STAGE), eq(""), anyMap());
    }

    @Test
    void aPairComingBackWithinAPageStopsTheMarkers() {
        when(source.readsByConversation(STAGE)).thenReturn(true);
        page(row(1, 1, 2), row(2, 1, 3), row(3, 2, 1), row(4, 2, 3)); // time order declared as conversation order
        page(row(5, 3, 4), row(6, 4, 5));
        verify(producer, never()).sendBodyAndHeaders(eq("jms:queue:im.import." + STAGE), eq(""), anyMap());
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

    @SuppressWarnings("unchecked")
    private List<String> markersSent() {
        ArgumentCaptor<Map<String, Object>> headers = ArgumentCaptor.forClass(Map.class);
        verify(producer, org.mockito.Mockito.atLeast(0)).sendBodyAndHeaders(eq("jms:queue:im.import." + STAGE), eq(""), headers.capture());
        for (Map<String, Object> h : headers.getAllValues()) {
            assertThat(h.get("JMSXGroupID")).as("the marker goes into its pair's lane")
                    .isEqualTo(OrderLanes.lane(STAGE, (String) h.get(HandOffMarkers.MARKER), OrderLanes.DEFAULT_LANES));
        }
        return headers.getAllValues().stream().map(h -> (String) h.get(HandOffMarkers.MARKER)).toList();
    }
}
