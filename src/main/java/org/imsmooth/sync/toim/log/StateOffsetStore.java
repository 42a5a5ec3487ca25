package org.imsmooth.sync.toim.log;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.storage.MemoryOffsetBackingStore;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Debezium's offsets in table {@code capture_offset} of the state database (through the service's own
 * connection pool): loaded when the engine starts, written at each offset flush, so a restart or another
 * instance resumes where the log was read to. Configured with {@code offset.storage=} this class and
 * the engine's {@code name} (the capture's name).
 */
public class StateOffsetStore extends MemoryOffsetBackingStore {

    private String capture;
    private JdbcTemplate state;

    @Override
    public void configure(WorkerConfig config) {
        super.configure(config);
        capture = config.originalsStrings().get("name");
        state = CaptureStateStore.of(capture);
    }

    @Override
    public synchronized void start() {
        super.start();
        Base64.Decoder decode = Base64.getDecoder();
        Map<ByteBuffer, ByteBuffer> stored = new HashMap<>();
        state.query("SELECT offset_key, offset_value FROM capture_offset WHERE capture = ?", rs -> {
            String value = rs.getString(2);
            stored.put(ByteBuffer.wrap(decode.decode(rs.getString(1))), value == null ? null : ByteBuffer.wrap(decode.decode(value)));
        }, capture);
        data.putAll(stored);
    }

    /**
     * Runs on the store's executor after each flush: one row per partition key, replaced. The offsets
     * are those of changes already handed to the queue writer; they are stored only once those changes
     * are on the broker, so a kill never leaves an offset past a change that was not queued.
     */
    @Override
    protected void save() {
        try {
            CaptureStateStore.awaitQueued(capture);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("offsets of log capture '" + capture + "' not stored: interrupted before its changes were queued", e);
        }
        Base64.Encoder encode = Base64.getEncoder();
        for (Map.Entry<ByteBuffer, ByteBuffer> entry : data.entrySet()) {
            String key = encode.encodeToString(bytes(entry.getKey()));
            String value = entry.getValue() == null ? null : encode.encodeToString(bytes(entry.getValue()));
            if (state.update("UPDATE capture_offset SET offset_value = ? WHERE capture = ? AND offset_key = ?", value, capture, key) == 0) {
                state.update("INSERT INTO capture_offset (capture, offset_key, offset_value) VALUES (?, ?, ?)", capture, key, value);
            }
        }
    }

    @Override
    public Set<Map<String, Object>> connectorPartitions(String connectorName) {
        return Set.of(); // Kafka Connect's REST offsets API only; the embedded engine does not ask
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
