package org.imsmooth.sync.toim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;

import org.imsmooth.support.FreshStateDatabase;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import jakarta.jms.ConnectionFactory;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.imsmooth.oldsystem.KeysetPageReader;
import org.imsmooth.state.ImportCursors;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Change capture whose lease another instance took (this one missed its renewals) stops at its next
 * page: it reads no further and leaves the cursor where it was, for the new holder to read on from.
 */
class CaptureLeaseLostTest {

    @Test
    void captureStopsReadingOnceAnotherInstanceHoldsItsLease() {
        javax.sql.DataSource dataSource = FreshStateDatabase.h2("capture-lease");
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        KeysetPageReader reader = mock(KeysetPageReader.class);
        CaptureLease lease = new CaptureLease(jdbc);
        ChangeCapture capture = new ChangeCapture(new ChangeCaptureProperties(true, Duration.ofSeconds(1), Duration.ofSeconds(60), 10,
                Map.of("messages", new ChangeCaptureProperties.CaptureQuery("c2c_message", "SELECT 1"))),
                reader, new ImportCursors(jdbc), lease, mock(ChangeMessages.class), mock(ConnectionFactory.class), false);
        capture.leaseTtl(Duration.ofMillis(600));

        assertThat(capture.kinds()).as("this instance holds the lease").containsExactly("messages");
        jdbc.update("UPDATE migration_lease SET owner = ?, expires_at = ? WHERE name = ?",
                "other-instance/1", Timestamp.from(Instant.now().plusSeconds(3600)), lease.name());
        // this instance's lease runs out without a renewal it could make
        await().atMost(Duration.ofSeconds(5)).until(() -> !lease.held());

        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(KeysetPageReader.MORE_PAGES, true);
        assertThat(capture.nextPage("messages", exchange)).isEmpty();
        assertThat(exchange.getProperty(KeysetPageReader.MORE_PAGES, Boolean.class)).as("the page loop ends").isFalse();
        capture.commitPage("messages", exchange);
        verifyNoInteractions(reader);
        assertThat(capture.kinds()).as("no more polls here").isEmpty();
    }
}
