package org.imsmooth.pipeline.failure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeadLetterHeadersTest {

    @Test
    void theImCodeAReasonNamesBecomesTheErrorCode() {
        assertThat(DeadLetterHeaders.imErrorCodeIn("live group = AVChatRoom, which IM refuses to import (10007): live rooms "
                + "keep no history")).isEqualTo(10007);
        assertThat(DeadLetterHeaders.imErrorCodeIn("group 70006 was dead-lettered: IM v4/group_open_http_svc/import_group "
                + "failed: ErrorCode 10021 (group id in use)")).as("the code, not the group id").isEqualTo(10021);
    }

    @Test
    void aReasonWithoutAnImCodeGivesNone() {
        assertThat(DeadLetterHeaders.imErrorCodeIn("owner 99999 is unknown")).isNull();
        assertThat(DeadLetterHeaders.imErrorCodeIn("group 70006 was dead-lettered: owner 99999 is unknown")).isNull();
        assertThat(DeadLetterHeaders.imErrorCodeIn("message body is 9000 bytes; IM accepts at most 8000")).isNull();
        assertThat(DeadLetterHeaders.imErrorCodeIn(null)).isNull();
    }
}
