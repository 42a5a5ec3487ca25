package org.imsmooth.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.imsmooth.sync.toim.DocumentedSql;

/**
 * {@link KillAndResumeTest} with the 1:1 history read conversation by conversation (docs/sync.md's
 * query, {@code order: conversation}): the kill leaves hand-off markers among the 1:1 batches in the
 * broker's journal, and the resumed run must still import every message exactly once.
 */
class KillAndResumeByConversationTest extends KillAndResumeTest {

    @Override
    protected String runName() {
        return "kill-and-resume-by-conversation";
    }

    @Override
    protected List<String> extraArguments() throws IOException {
        String sql = DocumentedSql.block(Path.of("docs/sync.md"), "c2c-by-conversation").replace('\n', ' ');
        return List.of("--oldsystem.queries.c2c-messages.sql=" + sql,
                "--oldsystem.queries.c2c-messages.cursor=low_id,high_id,sent_at,source_id",
                "--oldsystem.queries.c2c-messages.order=conversation");
    }
}
