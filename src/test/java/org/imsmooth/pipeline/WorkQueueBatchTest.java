package org.imsmooth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.imsmooth.canonical.C2cMessageRecord;
import org.imsmooth.canonical.RejectedRecordException;
import org.junit.jupiter.api.Test;

class WorkQueueBatchTest {

    private final ObjectMapper json = new ObjectMapper();
    private final JavaType records = json.getTypeFactory().constructCollectionType(List.class, C2cMessageRecord.class);

    @Test
    void readsTheBrokersUtf8BytesAsTheReaderWroteThem() throws Exception {
        List<C2cMessageRecord> written = List.of(
                new C2cMessageRecord("m1", "u1", "u2", "text", "你好, 👋 and \"quotes\"", 1_700_000_000L),
                new C2cMessageRecord("m2", "u2", "u1", "text", "ünïcödé", 1_700_000_001L));
        byte[] body = json.writeValueAsBytes(written); // what the aggregator's `marshal: json` puts on the queue

        assertThat(WorkQueueBatch.parse(json, "c2c-messages", body, records)).isEqualTo(written);
    }

    @Test
    void aBodyThatIsNotAnArrayOfRecordsIsRejectedWithItsReason() {
        assertThatThrownBy(() -> WorkQueueBatch.parse(json, "c2c-messages", "{\"sourceId\":\"m1\"".getBytes(StandardCharsets.UTF_8), records))
                .isInstanceOf(RejectedRecordException.class)
                .hasMessageContaining("c2c-messages batch is not a JSON array of records");
        assertThatThrownBy(() -> WorkQueueBatch.parse(json, "groups", "{\"sourceId\":\"g1\"}".getBytes(StandardCharsets.UTF_8), records))
                .isInstanceOf(RejectedRecordException.class)
                .hasMessageContaining("groups batch is not a JSON array of records");
    }
}
