package org.imsmooth.sandbox.callback;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.imsmooth.im.api.ImApi;
import org.imsmooth.sandbox.support.CallbackReceiver;
import org.imsmooth.sandbox.support.SandboxTestBase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GroupManagementCallbacksTest extends SandboxTestBase {

    @Test
    void liveGroupApisFireOrderedSignedCallbacks() {
        accounts("owner", "m1", "m2");
        String id = imOk(ImApi.CREATE_GROUP, "{\"Type\":\"Public\",\"Name\":\"Team\",\"Owner_Account\":\"owner\","
                + "\"MemberList\":[{\"Member_Account\":\"m1\"}],\"AppDefinedData\":[{\"Key\":\"k\",\"Value\":\"v\"}]}").path("GroupId").asText();
        JsonNode add = imOk(ImApi.ADD_GROUP_MEMBER, "{\"GroupId\":\"" + id + "\",\"MemberList\":[{\"Member_Account\":\"m1\"},"
                + "{\"Member_Account\":\"m2\"},{\"Member_Account\":\"ghost\"}]}");
        assertThat(add.path("MemberList").findValuesAsText("Result")).containsExactly("2", "1", "0");
        imOk(ImApi.MODIFY_GROUP_BASE_INFO, "{\"GroupId\":\"" + id + "\",\"Name\":\"Team2\",\"Introduction\":\"\",\"MaxMemberNum\":500}");
        imOk(ImApi.MODIFY_GROUP_BASE_INFO, "{\"GroupId\":\"" + id + "\",\"MaxMemberNum\":400}");
        JsonNode sent = imOk(ImApi.SEND_GROUP_MSG, "{\"GroupId\":\"" + id + "\",\"Random\":42,\"From_Account\":\"m1\","
                + "\"MsgBody\":" + text("hi") + ",\"CloudCustomData\":\"marker\"}");
        imOk(ImApi.SEND_GROUP_MSG, "{\"GroupId\":\"" + id + "\",\"Random\":43,\"MsgBody\":" + text("quiet")
                + ",\"ForbidCallbackControl\":[\"ForbidAfterSendMsgCallback\"]}");
        imOk(ImApi.DELETE_GROUP_MEMBER, "{\"GroupId\":\"" + id + "\",\"MemberToDel_Account\":[\"m2\",\"not-a-member\"]}");
        imOk(ImApi.DESTROY_GROUP, "{\"GroupId\":\"" + id + "\"}");
        awaitCallbacks("Group.CallbackAfterGroupDestroyed", 1);

        List<CallbackReceiver.Received> all = RECEIVER.received();
        assertThat(all).extracting(CallbackReceiver.Received::command).containsExactly(
                "Group.CallbackAfterCreateGroup", "Group.CallbackAfterNewMemberJoin", "Group.CallbackAfterGroupInfoChanged",
                "Group.CallbackAfterSendMsg", "Group.CallbackAfterMemberExit", "Group.CallbackAfterGroupDestroyed");
        for (CallbackReceiver.Received r : all) {
            assertThat(r.query()).containsEntry("OptPlatform", "RESTAPI").containsEntry("SdkAppid", "1400000000");
            assertThat(r.query().get("Sign")).isEqualTo(CallbackDispatcher.sign(TOKEN, Long.parseLong(r.query().get("RequestTime"))));
            assertThat(r.body().path("EventTime").asLong()).isGreaterThan(1_600_000_000_000L);
            assertThat(r.body().path("CallbackCommand").asText()).isEqualTo(r.command());
        }
        JsonNode create = all.get(0).body();
        assertThat(create.path("Operator_Account").asText()).isEqualTo(ADMIN);
        assertThat(create.path("MemberList").findValuesAsText("Member_Account")).containsExactly("owner", "m1");
        assertThat(create.at("/UserDefinedDataList/0/Key").asText()).isEqualTo("k");
        JsonNode join = all.get(1).body();
        assertThat(join.path("JoinType").asText()).isEqualTo("Invited");
        assertThat(join.path("NewMemberList").findValuesAsText("Member_Account")).containsExactly("m2");
        JsonNode changed = all.get(2).body();
        assertThat(changed.path("Name").asText()).isEqualTo("Team2");
        assertThat(changed.has("Notification")).isFalse();
        assertThat(changed.has("Introduction")).as("empty before and after: not a change").isFalse();
        JsonNode msg = all.get(3).body();
        assertThat(msg.path("MsgSeq").asLong()).isEqualTo(sent.path("MsgSeq").asLong());
        assertThat(msg.path("From_Account").asText()).isEqualTo("m1");
        assertThat(msg.path("Operator_Account").asText()).isEqualTo(ADMIN);
        assertThat(msg.path("CloudCustomData").asText()).isEqualTo("marker");
        assertThat(msg.path("Random").asLong()).isEqualTo(42);
        JsonNode exit = all.get(4).body();
        assertThat(exit.path("ExitType").asText()).isEqualTo("Kicked");
        assertThat(exit.path("ExitMemberList").findValuesAsText("Member_Account")).containsExactly("m2");
        assertThat(all.get(5).body().path("MemberList").findValuesAsText("Member_Account")).containsExactlyInAnyOrder("owner", "m1");
        assertThat(im(ImApi.GET_GROUP_INFO, "{\"GroupIdList\":[\"" + id + "\"]}").at("/GroupInfo/0/ErrorCode").asInt()).isEqualTo(10010);
    }

    @Test
    void groupLimitsAndErrors() {
        accounts("owner");
        String id = imOk(ImApi.CREATE_GROUP, "{\"Type\":\"Public\",\"Name\":\"T\",\"Owner_Account\":\"owner\"}").path("GroupId").asText();
        StringBuilder del = new StringBuilder("{\"GroupId\":\"" + id + "\",\"MemberToDel_Account\":[");
        for (int i = 0; i < 101; i++) {
            del.append(i > 0 ? "," : "").append("\"d").append(i).append('"');
        }
        assertThat(im(ImApi.DELETE_GROUP_MEMBER, del + "]}").path("ErrorCode").asInt()).isEqualTo(10005);
        assertThat(im(ImApi.SEND_GROUP_MSG, "{\"GroupId\":\"" + id + "\",\"Random\":1,\"From_Account\":\"ghost\",\"MsgBody\":" + text("x") + "}")
                .path("ErrorCode").asInt()).isEqualTo(10004);
        assertThat(im(ImApi.SEND_GROUP_MSG, "{\"GroupId\":\"" + id + "\",\"Random\":1,\"MsgBody\":" + text("x".repeat(8100)) + "}")
                .path("ErrorCode").asInt()).isEqualTo(80002);
        assertThat(im(ImApi.MODIFY_GROUP_BASE_INFO, "{\"GroupId\":\"" + id + "\",\"Notification\":\"" + "n".repeat(301) + "\"}")
                .path("ErrorCode").asInt()).isEqualTo(10004);
        assertThat(im(ImApi.DESTROY_GROUP, "{\"GroupId\":\"nope\"}").path("ErrorCode").asInt()).isEqualTo(10010);
        assertThat(im(ImApi.GET_GROUP_INFO, "{\"GroupIdList\":[" + "\"g\",".repeat(50) + "\"g\"]}").path("ErrorCode").asInt()).isEqualTo(10004);
        JsonNode members = imOk(ImApi.GET_GROUP_MEMBER_INFO, "{\"GroupId\":\"" + id + "\",\"Limit\":1,\"Offset\":1}");
        assertThat(members.path("MemberNum").asInt()).isEqualTo(1);
        assertThat(members.path("MemberList")).isEmpty();
    }
}
