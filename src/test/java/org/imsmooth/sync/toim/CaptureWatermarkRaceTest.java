package org.imsmooth.sync.toim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import org.imsmooth.support.FreshStateDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import jakarta.jms.ConnectionFactory;
import org.imsmooth.oldsystem.KeysetPageReader;
import org.imsmooth.state.ImportCursors;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The capture's first cursor is set by whichever comes first, the operator's start of the import or
 * an instance's first capture poll, and on several instances both can find no cursor at once: the
 * later one keeps the cursor the first stored: it neither moves it nor fails on the duplicate key (an
 * operator's start answered 500 while the other instance's first poll inserted the same cursor).
 */
class CaptureWatermarkRaceTest {

    @Test
    void aFirstCursorStoredMeanwhileByAnotherInstanceStaysAndTheLaterCallerGoesOn() {
        javax.sql.DataSource dataSource = FreshStateDatabase.h2("capture-watermark");
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        ImportCursors stored = new ImportCursors(jdbc);
        // this instance looked before the other stored its cursor: it found none
        ImportCursors lookedTooEarly = new ImportCursors(jdbc) {
            @Override
            public Optional<Map<String, Object>> load(String stage) {
                return Optional.empty();
            }
        };
        ChangeCapture capture = new ChangeCapture(new ChangeCaptureProperties(true, Duration.ofSeconds(1), Duration.ofSeconds(60), 10,
                Map.of("messages", new ChangeCaptureProperties.CaptureQuery("c2c_message", "SELECT 1"))),
                mock(KeysetPageReader.class), lookedTooEarly, new CaptureLease(jdbc), mock(ChangeMessages.class),
                mock(ConnectionFactory.class), false);
        Map<String, Object> others = Map.of("happened_at", "2026-01-01 00:00:00.000000", "source_id", 0);
        stored.save("capture:messages", others, 0);

        capture.ensureWatermark(Instant.parse("2026-06-01T00:00:00Z"));

        assertThat(stored.load("capture:messages")).as("the first instance's cursor").contains(others);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM import_cursor", Integer.class)).isEqualTo(1);
    }
}
