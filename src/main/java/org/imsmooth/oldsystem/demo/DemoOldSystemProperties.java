package org.imsmooth.oldsystem.demo;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Size of the generated demo old system. The generator is deterministic (fixed seed), so two runs
 * with the same sizes produce the same rows, which keeps reconciliation figures comparable.
 * {@code invalidRecords} adds a few rows IM must never receive (a live-stream group, an empty message,
 * a message from an unknown user, one dated in the future) so the demo shows its dead-letter queues.
 */
@ConfigurationProperties("oldsystem.demo")
public record DemoOldSystemProperties(
        @DefaultValue("auto") String enabled,
        @DefaultValue("200") int users,
        @DefaultValue("5") int friendsPerUser,
        @DefaultValue("2000") int messages,
        @DefaultValue("20") int groups,
        @DefaultValue("15") int membersPerGroup,
        @DefaultValue("1000") int groupMessages,
        @DefaultValue("42") long seed,
        @DefaultValue("false") boolean invalidRecords) {
}
