package org.imsmooth.sync.toold;

import javax.sql.DataSource;

import org.imsmooth.sync.OwnWrites;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Chooses how the old system is written: {@code sync.im-to-old.writer} = jdbc (default) or http. */
@Configuration(proxyBeanMethods = false)
public class OldSystemWriterConfiguration {

    @Bean
    OldSystemWriter oldSystemWriter(ImToOldProperties properties, @Qualifier("oldSystemDataSource") DataSource oldSystem,
                                    OwnWrites ownWrites) {
        return switch (properties.writer()) {
            case "jdbc" -> new JdbcOldSystemWriter(oldSystem, properties, ownWrites);
            case "http" -> new HttpOldSystemWriter(properties);
            default -> throw new IllegalArgumentException("sync.im-to-old.writer must be jdbc or http, not '" + properties.writer() + "'");
        };
    }
}
