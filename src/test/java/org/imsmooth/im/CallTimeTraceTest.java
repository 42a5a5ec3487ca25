package org.imsmooth.im;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The call trace (im.call-trace-file) writes each call's random with its slot and send times, and nothing secret. */
class CallTimeTraceTest {

    @Test
    void eachCallsRandomIsWrittenWithTheSlotThePacerGaveIt(@TempDir Path dir) throws Exception {
        ImProperties p = ImTransportHttpTest.properties("http://127.0.0.1:1", Duration.ofSeconds(1));
        ImQueryString query = new ImQueryString(p, new AdminUserSig(p, Clock.systemUTC()));
        Path file = dir.resolve("calls.csv");
        String paced;
        String unpaced;
        try (CallTimeTrace trace = CallTimeTrace.start(file)) {
            CallTimeTrace.granted(1_234_567L);
            paced = query.perCallPart();
            unpaced = query.perCallPart(); // the slot belongs to one call only
        }
        String untraced = query.perCallPart();
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        String[] first = lines.get(0).split(",");
        String[] second = lines.get(1).split(",");
        assertThat(paced).endsWith("&random=" + first[0]);
        assertThat(first[1]).isEqualTo("1234567");
        assertThat(Long.parseLong(first[2])).isGreaterThan(1_700_000_000_000_000_000L);
        assertThat(unpaced).endsWith("&random=" + second[0]);
        assertThat(second[1]).isEqualTo("0");
        assertThat(untraced).contains("random=");
        assertThat(Files.readString(file)).doesNotContain("usersig").doesNotContain(KEY_PREFIX);
    }

    private static final String KEY_PREFIX = ImTransportHttpTest.KEY.substring(0, 12);
}
