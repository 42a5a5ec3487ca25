package org.imsmooth.sandbox.app;

import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import org.imsmooth.im.api.ImApi;
import org.imsmooth.sandbox.support.CallbackReceiver;
import org.imsmooth.sandbox.support.SandboxTestBase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AppUserSimulatorTest extends SandboxTestBase {

    private JsonNode app(String action, String body) {
        HttpResponse<String> r = post("/sandbox/app/" + action, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return read(r.body());
    }

    @Test
    void userActionsChangeStateAndFireClientCallbacks() {
        accounts("alice", "bob");
        JsonNode c2c = app("c2c/send", "{\"UserID\":\"alice\",\"To_Account\":\"bob\",\"Text\":\"hey\",\"Platform\":\"iOS\"}");
        CallbackReceiver.Received cb = awaitCallbacks("C2C.CallbackAfterSendMsg", 1).get(0);
        assertThat(cb.query()).containsEntry("OptPlatform", "iOS");
        assertThat(cb.body().path("From_Account").asText()).isEqualTo("alice");
        assertThat(cb.body().path("MsgKey").asText()).isEqualTo(c2c.path("MsgKey").asText());

        String id = app("group/create", "{\"UserID\":\"alice\",\"Name\":\"Club\",\"Type\":\"Public\"}").path("GroupId").asText();
        app("group/join", "{\"UserID\":\"bob\",\"GroupId\":\"" + id + "\"}");
        JsonNode sent = app("group/send", "{\"UserID\":\"bob\",\"GroupId\":\"" + id + "\",\"Text\":\"hello all\"}");
        app("group/modify", "{\"UserID\":\"alice\",\"GroupId\":\"" + id + "\",\"Notification\":\"rules\"}");
        app("group/quit", "{\"UserID\":\"bob\",\"GroupId\":\"" + id + "\"}");
        app("group/destroy", "{\"UserID\":\"alice\",\"GroupId\":\"" + id + "\"}");
        awaitCallbacks("Group.CallbackAfterGroupDestroyed", 1);

        JsonNode create = RECEIVER.of("Group.CallbackAfterCreateGroup").get(0).body();
        assertThat(create.path("Operator_Account").asText()).isEqualTo("alice");
        assertThat(RECEIVER.of("Group.CallbackAfterCreateGroup").get(0).query()).containsEntry("OptPlatform", "Android");
        JsonNode join = RECEIVER.of("Group.CallbackAfterNewMemberJoin").get(0).body();
        assertThat(join.path("JoinType").asText()).isEqualTo("Apply");
        assertThat(join.path("Operator_Account").asText()).isEqualTo("bob");
        JsonNode msg = RECEIVER.of("Group.CallbackAfterSendMsg").get(0).body();
        assertThat(msg.path("MsgSeq").asLong()).isEqualTo(sent.path("MsgSeq").asLong());
        assertThat(msg.path("Operator_Account").asText()).isEqualTo("bob");
        JsonNode changed = RECEIVER.of("Group.CallbackAfterGroupInfoChanged").get(0).body();
        assertThat(changed.path("Notification").asText()).isEqualTo("rules");
        assertThat(changed.has("Name")).isFalse();
        JsonNode exit = RECEIVER.of("Group.CallbackAfterMemberExit").get(0).body();
        assertThat(exit.path("ExitType").asText()).isEqualTo("Quit");
        assertThat(imOk(ImApi.GET_GROUP_INFO, "{\"GroupIdList\":[\"" + id + "\"]}").at("/GroupInfo/0/ErrorCode").asInt()).isEqualTo(10010);
    }

    @Test
    void badInputIs400AndUnknownUserOrGroupIs404() {
        accounts("alice");
        assertThat(post("/sandbox/app/c2c/send", "{\"UserID\":\"ghost\",\"To_Account\":\"alice\",\"Text\":\"x\"}").statusCode()).isEqualTo(404);
        assertThat(post("/sandbox/app/c2c/send", "{\"UserID\":\"alice\",\"To_Account\":\"ghost\",\"Text\":\"x\"}").statusCode()).isEqualTo(404);
        assertThat(post("/sandbox/app/group/send", "{\"UserID\":\"alice\",\"GroupId\":\"none\",\"Text\":\"x\"}").statusCode()).isEqualTo(404);
        HttpResponse<String> bad = post("/sandbox/app/c2c/send", "{\"UserID\":\"alice\",\"To_Account\":\"alice\",\"MsgBody\":{}}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(read(bad.body()).path("error").asText()).isNotBlank();
        assertThat(post("/sandbox/app/group/create", "{\"UserID\":\"alice\",\"Name\":\"" + "n".repeat(40) + "\"}").statusCode()).isEqualTo(400);
        assertThat(post("/sandbox/app/group/create", "{\"UserID\":\"alice\",\"Name\":\"x\",\"Platform\":\"Toaster\"}").statusCode()).isEqualTo(400);
        assertThat(post("/sandbox/app/group/create", "garbage").statusCode()).isEqualTo(400);
    }
}
