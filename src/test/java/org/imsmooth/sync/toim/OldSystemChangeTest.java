package org.imsmooth.sync.toim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.imsmooth.canonical.RejectedRecordException;
import org.junit.jupiter.api.Test;

class OldSystemChangeTest {

    @Test
    void timesAreReadFromEveryFormTheOldSystemGives() {
        Instant t = Instant.parse("2026-11-20T10:15:30.250Z");
        assertThat(OldSystemChange.epochMillis(Timestamp.from(t))).isEqualTo(t.toEpochMilli());
        assertThat(OldSystemChange.epochMillis(t.getEpochSecond())).isEqualTo(t.getEpochSecond() * 1000);
        assertThat(OldSystemChange.epochMillis(String.valueOf(t.toEpochMilli()))).isEqualTo(t.toEpochMilli());
        assertThat(OldSystemChange.epochMillis("2026-11-20T10:15:30.250Z")).isEqualTo(t.toEpochMilli());
        assertThat(OldSystemChange.epochMillis("yesterday")).isNull();
    }

    @Test
    void aChangeMissingWhatItsKindNeedsIsRejectedWithTheReason() {
        Map<String, Object> row = new HashMap<>(Map.of("source_id", "5", "group_id", "7", "event", "JOINED", "happened_at", 1_700_000_000L));
        assertThatThrownBy(() -> OldSystemChange.fromRow("group_event", row).validate())
                .isInstanceOf(RejectedRecordException.class).hasMessageContaining("user_id");
        row.put("user_id", "9");
        assertThat(OldSystemChange.fromRow("group_event", row).validate().event()).isEqualTo("joined");
        row.put("event", "renamed");
        assertThatThrownBy(() -> OldSystemChange.fromRow("group_event", row).validate()).hasMessageContaining("renamed");
        assertThatThrownBy(() -> OldSystemChange.fromRow("friend", row).validate()).hasMessageContaining("unknown change");
    }

    @Test
    void theOriginMarkerIsMergedIntoTheMessagesOwnData() throws Exception {
        OriginMarker marker = new OriginMarker();
        ObjectMapper json = new ObjectMapper();
        JsonNode merged = json.readTree(marker.cloudCustomData("{\"topic\":\"orders\"}", "42"));
        assertThat(merged.path("topic").asText()).isEqualTo("orders");
        assertThat(merged.at("/imsmooth/origin").asText()).isEqualTo("old");
        assertThat(merged.at("/imsmooth/id").asText()).isEqualTo("42");
        JsonNode wrapped = json.readTree(marker.cloudCustomData("plain text", "43"));
        assertThat(wrapped.path("data").asText()).isEqualTo("plain text");
        assertThat(wrapped.at("/imsmooth/id").asText()).isEqualTo("43");
        assertThat(json.readTree(marker.cloudCustomData(null, "44")).size()).isEqualTo(1);
    }
}
