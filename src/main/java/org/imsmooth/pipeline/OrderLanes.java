package org.imsmooth.pipeline;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The ordered lane of a record whose order matters within a key (a conversation, a user): the
 * key's stable hash modulo {@code pipeline.<stage>.lanes} (default 64). Readers batch per lane and
 * set the lane as JMSXGroupID, so Artemis hands one lane's batches to one consumer at a time, in
 * order: every key keeps its order (all its records are in one lane, oldest first), while a batch
 * carries many keys. Per-key batches would put about one record in each queue message when keys
 * interleave (one-to-one history: thousands of conversations per page), and each message costs a
 * durable broker send. {@link String#hashCode()} is specified, so a resumed run maps a key to the
 * same lane.
 */
@Component("orderLanes")
public class OrderLanes {

    static final int DEFAULT_LANES = 64;

    private final Environment environment;
    /** pipeline.<stage>.lanes, read once per stage: the reader asks for every record. */
    private final Map<String, Integer> lanesOfStage = new ConcurrentHashMap<>();

    public OrderLanes(Environment environment) {
        this.environment = environment;
    }

    /** The lane name, e.g. {@code c2c-messages:17}. */
    public String of(String stage, String key) {
        int lanes = lanesOfStage.computeIfAbsent(stage,
                s -> environment.getProperty("pipeline." + s + ".lanes", Integer.class, DEFAULT_LANES));
        return lane(stage, key, lanes);
    }

    public static String lane(String stage, String key, int lanes) {
        if (lanes < 1) {
            throw new IllegalArgumentException("pipeline." + stage + ".lanes must be at least 1");
        }
        return stage + ":" + Math.floorMod(key == null ? 0 : key.hashCode(), lanes);
    }
}
