package org.imsmooth.sync.toim;

import org.imsmooth.state.DatabaseLease;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Only the instance holding this lease polls the old database and releases held changes: no double send. */
@Component
public class CaptureLease extends DatabaseLease {

    public CaptureLease(JdbcTemplate jdbc) {
        super(jdbc, "sync-old-to-im-capture");
    }

    @org.springframework.beans.factory.annotation.Autowired
    public CaptureLease(JdbcTemplate jdbc, org.imsmooth.state.InstanceId instance) {
        super(jdbc, "sync-old-to-im-capture", instance);
    }
}
