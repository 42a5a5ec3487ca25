package org.imsmooth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.imsmooth.state.IdMap;
import org.imsmooth.state.StageProgress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/** The records one IM call acknowledged reach the state database together or not at all. */
class RecordOutcomesTest {

    private IdMap idMap;
    private StageProgress progress;
    private RecordOutcomes outcomes;

    @BeforeEach
    void stateDatabase() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:record-outcomes-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        dataSource.setUser("sa");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        idMap = new IdMap(jdbc);
        progress = new StageProgress(jdbc);
        outcomes = new RecordOutcomes(idMap, progress, jdbc);
    }

    @Test
    void writesEveryRowAndOneCountForACall() {
        outcomes.done("group-members", List.of(new RecordOutcomes.Done("1:7", "g1:u7", "g1", null),
                new RecordOutcomes.Done("1:8", "g1:u8", "g1", "already a member")));

        assertThat(idMap.imIdOf("group-members", "1:7")).contains("g1:u7");
        assertThat(idMap.imIdOf("group-members", "1:8")).contains("g1:u8");
        assertThat(progress.of("group-members").orElseThrow().imported()).isEqualTo(2);
    }

    @Test
    void aFailedWriteLeavesNeitherTheCallsRowsNorItsCount() {
        outcomes.done("friends", "1:2", "u1:u2", null, null);
        String tooLong = "x".repeat(1001); // id_map.detail holds 1000 characters

        assertThatThrownBy(() -> outcomes.done("friends", List.of(new RecordOutcomes.Done("1:3", "u1:u3", null, null),
                new RecordOutcomes.Done("1:4", "u1:u4", null, tooLong)))).isInstanceOf(DataAccessException.class);

        assertThat(idMap.imIdOf("friends", "1:3")).isEmpty();
        assertThat(idMap.imIdOf("friends", "1:2")).contains("u1:u2");
        assertThat(progress.of("friends").orElseThrow().imported()).isEqualTo(1);
    }
}
