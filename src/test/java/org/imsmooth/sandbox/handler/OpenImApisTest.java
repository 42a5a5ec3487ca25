package org.imsmooth.sandbox.handler;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.imsmooth.im.api.ImApi;
import org.imsmooth.sandbox.callback.CallbackDispatcher;
import org.imsmooth.sandbox.support.CallbackReceiver;
import org.imsmooth.sandbox.support.SandboxTestBase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OpenImApisTest extends SandboxTestBase {

    private String importMsg(String from, String to, long seq, long random, long time, String text) {
        return "{\"SyncFromOldSystem\":2,\"From_Account\":\"" + from + "\",\"To_Account\":\"" + to + "\",\"MsgSeq\":" + seq
                + ",\"MsgRandom\":" + random + ",\"MsgTimeStamp\":" + time + ",\"MsgBody\":" + text(text) + "}";
    }

    private JsonNode roam(String op, String peer, int max, String lastKey) {
        return imOk(ImApi.ADMIN_GET_ROAM_MSG, "{\"Operator_Account\":\"" + op + "\",\"Peer_Account\":\"" + peer
                + "\",\"MaxCnt\":" + max + ",\"MinTime\":0,\"MaxTime\":" + now() + (lastKey == null ? "" : ",\"LastMsgKey\":\"" + lastKey + "\"") + "}");
    }

    @Test
    void importMsgDeduplicatesFirstWinsAlsoWithSwappedSides() {
        accounts("a", "b");
        long t = now() - 3600;
        imOk(ImApi.IMPORT_MSG, importMsg("a", "b", 1, 100, t, "first"));
        imOk(ImApi.IMPORT_MSG, importMsg("a", "b", 1, 100, t, "second"));
        imOk(ImApi.IMPORT_MSG, importMsg("b", "a", 1, 100, t, "swapped"));
        imOk(ImApi.IMPORT_MSG, importMsg("b", "a", 2, 100, t, "other"));
        JsonNode r = roam("a", "b", 10, null);
        assertThat(r.path("MsgList")).hasSize(2);
        assertThat(r.at("/MsgList/0/MsgBody/0/MsgContent/Text").asText()).isEqualTo("first");
        assertThat(r.at("/MsgList/0/MsgKey").asText()).isEqualTo("1_100_" + t);
        assertThat(r.path("Complete").asInt()).isEqualTo(1);
        assertThat(RECEIVER.received()).as("importmsg fires no callback").isEmpty();
    }

    @Test
    void importMsgErrorsAreTheDocumentedCodes() {
        accounts("a", "b");
        long t = now() - 60;
        String ok = importMsg("a", "b", 1, 1, t, "x");
        assertThat(im(ImApi.IMPORT_MSG, ok.replace("\"SyncFromOldSystem\":2", "\"SyncFromOldSystem\":1")).path("ErrorCode").asInt()).isEqualTo(90030);
        assertThat(im(ImApi.IMPORT_MSG, ok.replace("\"SyncFromOldSystem\":2,", "")).path("ErrorCode").asInt()).isEqualTo(90030);
        assertThat(im(ImApi.IMPORT_MSG, ok.replace("\"From_Account\":\"a\"", "\"From_Account\":\"ghost\"")).path("ErrorCode").asInt()).isEqualTo(90048);
        assertThat(im(ImApi.IMPORT_MSG, ok.replace("\"To_Account\":\"b\"", "\"To_Account\":\"ghost\"")).path("ErrorCode").asInt()).isEqualTo(90012);
        assertThat(im(ImApi.IMPORT_MSG, ok.replace("\"MsgRandom\":1", "\"MsgRandom\":\"1\"")).path("ErrorCode").asInt()).isEqualTo(90005);
        assertThat(im(ImApi.IMPORT_MSG, ok.replace("\"MsgTimeStamp\":" + t, "\"MsgTimeStamp\":\"x\"")).path("ErrorCode").asInt()).isEqualTo(90006);
        assertThat(im(ImApi.IMPORT_MSG, ok.replace(text("x"), "{}")).path("ErrorCode").asInt()).isEqualTo(90007);
        assertThat(im(ImApi.IMPORT_MSG, ok.replace(text("x"), "[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{}}]")).path("ErrorCode").asInt()).isEqualTo(90010);
        assertThat(im(ImApi.IMPORT_MSG, ok.replace(text("x"), text("z".repeat(8100)))).path("ErrorCode").asInt()).isEqualTo(93000);
        assertThat(roam("a", "b", 10, null).path("MsgList")).isEmpty();
    }

    @Test
    void roamingPagesNewestFirstAscendingWithinAPageAndHonoursRetention() {
        accounts("a", "b");
        long t = now() - 1000;
        for (int i = 1; i <= 5; i++) {
            imOk(ImApi.IMPORT_MSG, importMsg(i % 2 == 0 ? "b" : "a", i % 2 == 0 ? "a" : "b", i, 7, t + i, "m" + i));
        }
        // Same second, ordered by MsgSeq.
        imOk(ImApi.IMPORT_MSG, importMsg("a", "b", 9, 7, t + 5, "m5b"));
        imOk(ImApi.IMPORT_MSG, importMsg("a", "b", 1, 1, now() - 8 * 86400, "too old"));
        JsonNode p1 = roam("a", "b", 4, null);
        assertThat(p1.path("Complete").asInt()).isZero();
        assertThat(texts(p1)).containsExactly("m3", "m4", "m5", "m5b");
        JsonNode p2 = roam("a", "b", 4, p1.path("LastMsgKey").asText());
        assertThat(texts(p2)).containsExactly("m1", "m2");
        assertThat(p2.path("Complete").asInt()).isEqualTo(1);
    }

    private static List<String> texts(JsonNode page) {
        return page.path("MsgList").findValuesAsText("Text");
    }

    @Test
    void setMsgReadMarksPeerRead() {
        accounts("a", "b");
        long t = now() - 100;
        imOk(ImApi.IMPORT_MSG, importMsg("a", "b", 1, 1, t, "hello"));
        assertThat(roam("a", "b", 10, null).at("/MsgList/0/IsPeerRead").asInt()).isZero();
        imOk(ImApi.ADMIN_SET_MSG_READ, "{\"Report_Account\":\"b\",\"Peer_Account\":\"a\",\"MsgReadTime\":" + t + "}");
        assertThat(roam("a", "b", 10, null).at("/MsgList/0/IsPeerRead").asInt()).isEqualTo(1);
        assertThat(im(ImApi.ADMIN_SET_MSG_READ, "{\"Report_Account\":\"ghost\",\"Peer_Account\":\"a\"}").path("ErrorCode").asInt()).isEqualTo(90008);
        assertThat(RECEIVER.received()).isEmpty();
    }

    @Test
    void sendMsgAnswersMsgKeyAndFiresASignedCallbackUnlessForbidden() {
        accounts("a", "b");
        JsonNode r = imOk(ImApi.SEND_MSG, "{\"From_Account\":\"a\",\"To_Account\":\"b\",\"MsgSeq\":77,\"MsgRandom\":555,"
                + "\"MsgBody\":" + text("live") + ",\"CloudCustomData\":\"sync-marker\"}");
        long time = r.path("MsgTime").asLong();
        assertThat(r.path("MsgKey").asText()).isEqualTo("77_555_" + time);
        assertThat(r.path("MsgId").asText()).isNotEmpty();
        CallbackReceiver.Received cb = awaitCallbacks("C2C.CallbackAfterSendMsg", 1).get(0);
        assertThat(cb.query()).containsEntry("SdkAppid", "1400000000").containsEntry("OptPlatform", "RESTAPI")
                .containsEntry("contenttype", "json").containsKey("ClientIP");
        assertThat(cb.query().get("Sign")).isEqualTo(CallbackDispatcher.sign(TOKEN, Long.parseLong(cb.query().get("RequestTime"))));
        assertThat(cb.body().path("CallbackCommand").asText()).isEqualTo("C2C.CallbackAfterSendMsg");
        assertThat(cb.body().path("MsgKey").asText()).isEqualTo("77_555_" + time);
        assertThat(cb.body().path("CloudCustomData").asText()).isEqualTo("sync-marker");
        assertThat(cb.body().path("UnreadMsgNum").asInt()).isEqualTo(1);

        // The 120 s dedup: same sender, seq, random and content → same answer, nothing new stored.
        JsonNode again = imOk(ImApi.SEND_MSG, "{\"From_Account\":\"a\",\"To_Account\":\"b\",\"MsgSeq\":77,\"MsgRandom\":555,"
                + "\"MsgBody\":" + text("live") + ",\"CloudCustomData\":\"sync-marker\"}");
        assertThat(again.path("MsgKey").asText()).isEqualTo(r.path("MsgKey").asText());

        imOk(ImApi.SEND_MSG, "{\"From_Account\":\"b\",\"To_Account\":\"a\",\"MsgRandom\":9,\"MsgBody\":" + text("quiet")
                + ",\"ForbidCallbackControl\":[\"ForbidAfterSendMsgCallback\"]}");
        assertThat(roam("a", "b", 10, null).path("MsgList")).hasSize(2);
        assertThat(im(ImApi.SEND_MSG, "{\"From_Account\":\"a\",\"To_Account\":\"ghost\",\"MsgRandom\":1,\"MsgBody\":" + text("x") + "}")
                .path("ErrorCode").asInt()).isEqualTo(90012);
        // Same conversation = same ordered lane: once "after" arrives, a "quiet" callback would have too.
        imOk(ImApi.SEND_MSG, "{\"From_Account\":\"a\",\"To_Account\":\"b\",\"MsgRandom\":10,\"MsgBody\":" + text("after") + "}");
        assertThat(awaitCallbacks("C2C.CallbackAfterSendMsg", 2)).extracting(c -> c.body().at("/MsgBody/0/MsgContent/Text").asText())
                .containsExactly("live", "after");
    }
}
