package org.imsmooth.sync.toim;

import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The old provider's routing callbacks ({@code POST /intake/old-system/{kind}}).
 *
 * @param secret the shared secret the caller sends in {@code X-Intake-Secret}; without one every request is refused
 * @param kinds  path kind -> how its JSON maps to a change
 * @param maxConcurrentSends requests putting their change on the broker at once (keep it below
 *               spring.jms.cache.session-cache-size); the others wait, up to 10 s, then get a 503
 */
@ConfigurationProperties("old-system-intake")
public record OldSystemIntakeProperties(String secret, @DefaultValue({}) Map<String, IntakeKind> kinds,
                                        @DefaultValue("32") int maxConcurrentSends) {

    /**
     * @param change    c2c_message, group_message or group_event
     * @param fields    canonical column -> JSON pointer into the callback body
     * @param constants canonical column -> fixed value (e.g. event: created for a "group created" callback)
     */
    public record IntakeKind(String change, @DefaultValue({}) Map<String, String> fields, @DefaultValue({}) Map<String, String> constants) {
    }

    @Override
    public String toString() {
        // the record's default toString would print the secret
        return "OldSystemIntakeProperties[kinds=" + kinds.keySet() + "]";
    }
}
