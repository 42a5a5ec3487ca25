package org.imsmooth.sandbox.http;

import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import org.imsmooth.im.api.ImApi;
import org.imsmooth.sandbox.support.SandboxTestBase;
import org.imsmooth.sandbox.support.TestUserSigSigner;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RestEnvelopeAndAuthTest extends SandboxTestBase {

    private static final String PATH = "/v4/im_open_login_svc/account_check";
    private static final String BODY = "{\"CheckItem\":[{\"UserID\":\"a\"}]}";

    private JsonNode call(String query) {
        HttpResponse<String> r = post(PATH + query, BODY);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode n = read(r.body());
        return n;
    }

    private static void assertFail(JsonNode n, int code) {
        assertThat(n.path("ActionStatus").asText()).isEqualTo("FAIL");
        assertThat(n.path("ErrorCode").asInt()).as(n.toString()).isEqualTo(code);
        assertThat(n.has("ErrorInfo")).isTrue();
    }

    @Test
    void validCallAnswersTheEnvelope() {
        JsonNode n = call(query(sig()));
        assertThat(n.path("ActionStatus").asText()).isEqualTo("OK");
        assertThat(n.path("ErrorCode").asInt()).isZero();
        assertThat(n.path("ResultItem").get(0).path("AccountStatus").asText()).isEqualTo("NotImported");
    }

    @Test
    void authChecksRunInOrderWithTheirCodes() {
        long now = now();
        String rnd = "&random=12345&contenttype=json";
        assertFail(call("?identifier=administrator&usersig=" + sig() + rnd), 60012);
        assertFail(call("?sdkappid=1400000001&identifier=administrator&usersig=" + sig() + rnd), 70020);
        assertFail(call("?sdkappid=abc&identifier=administrator&usersig=" + sig() + rnd), 60006);
        String userSig = TestUserSigSigner.sign(KEY, APP_ID, "alice", now, 86400);
        assertFail(call("?sdkappid=1400000000&identifier=alice&usersig=" + userSig + rnd), 60010);
        assertFail(call("?sdkappid=1400000000&identifier=administrator&usersig=garbage" + rnd), 70003);
        assertFail(call("?sdkappid=1400000000&identifier=administrator&usersig="
                + TestUserSigSigner.sign(KEY, 1400000009L, ADMIN, now, 86400) + rnd), 70014);
        assertFail(call("?sdkappid=1400000000&identifier=administrator&usersig=" + userSig + rnd), 70013);
        assertFail(call("?sdkappid=1400000000&identifier=administrator&usersig="
                + TestUserSigSigner.sign(KEY, APP_ID, ADMIN, now - 1000, 100) + rnd), 70001);
        assertFail(call("?sdkappid=1400000000&identifier=administrator&usersig="
                + TestUserSigSigner.sign("wrong-key", APP_ID, ADMIN, now, 86400) + rnd), 70009);
    }

    @Test
    void randomMustBeUint32AndContentTypeExactlyJson() {
        String q = "?sdkappid=1400000000&identifier=administrator&usersig=" + sig();
        assertFail(call(q + "&random=4294967296&contenttype=json"), 60002);
        assertFail(call(q + "&random=-1&contenttype=json"), 60002);
        assertFail(call(q + "&random=1&contenttype=JSON"), 60002);
        assertThat(call(q + "&random=4294967295&contenttype=json").path("ActionStatus").asText()).isEqualTo("OK");
    }

    @Test
    void unknownCommandEmptyBodyAndGetAreEnvelopes() {
        HttpResponse<String> unknown = post("/v4/openim/no_such_cmd" + query(sig()), "{}");
        assertThat(unknown.statusCode()).isEqualTo(200);
        assertFail(read(unknown.body()), 60009);

        assertFail(read(post(PATH + query(sig()), "").body()), 60003);
        assertFail(read(post(PATH + query(sig()), "{not json").body()), 60003);
        assertFail(read(post("/v4/openim/importmsg" + query(sig()), "[]").body()), 90001);

        HttpResponse<String> g = get(PATH + query(sig()));
        assertThat(g.statusCode()).isEqualTo(200);
        assertThat(read(g.body()).path("ActionStatus").asText()).isEqualTo("FAIL");
    }

    @Test
    void profileAndSnsRepliesCarryErrorDisplay() {
        JsonNode n = im(ImApi.PORTRAIT_SET, "{\"From_Account\":\"ghost\",\"ProfileItem\":[{\"Tag\":\"Tag_Profile_IM_Nick\",\"Value\":\"x\"}]}");
        assertFail(n, 40003);
        assertThat(n.has("ErrorDisplay")).isTrue();
        JsonNode s = im(ImApi.FRIEND_GET, "{\"From_Account\":1,\"StartIndex\":0}");
        assertFail(s, 30001);
        assertThat(s.has("ErrorDisplay")).isTrue();
    }
}
