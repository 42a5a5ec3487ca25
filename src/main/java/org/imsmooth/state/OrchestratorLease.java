package org.imsmooth.state;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * A database lease so that one instance at a time reads the old system, while every instance on the
 * same broker and database consumes the work queues. Renewed on every orchestrator tick.
 */
@Component
public class OrchestratorLease extends DatabaseLease {

    public OrchestratorLease(JdbcTemplate jdbc) {
        super(jdbc, "import-orchestrator");
    }

    @org.springframework.beans.factory.annotation.Autowired
    public OrchestratorLease(JdbcTemplate jdbc, InstanceId instance) {
        super(jdbc, "import-orchestrator", instance);
    }
}
