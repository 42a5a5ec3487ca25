package org.imsmooth.sandbox.handler;

import com.fasterxml.jackson.databind.JsonNode;
import org.imsmooth.im.api.ImApi;
import org.imsmooth.sandbox.support.SandboxTestBase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GroupImportApisTest extends SandboxTestBase {

    private long created;

    private String importGroup(String id, String type) {
        created = now() - 10_000;
        return imOk(ImApi.IMPORT_GROUP, "{\"Owner_Account\":\"owner\",\"Type\":\"" + type + "\",\"GroupId\":\"" + id
                + "\",\"Name\":\"G\",\"CreateTime\":" + created + "}").path("GroupId").asText();
    }

    private String msg(String from, long time, long random) {
        return "{\"From_Account\":\"" + from + "\",\"SendTime\":" + time + ",\"Random\":" + random + ",\"MsgBody\":" + text("t" + time) + "}";
    }

    private JsonNode unreadOf(String member) {
        return imOk(ImApi.GET_JOINED_GROUP_LIST, "{\"Member_Account\":\"" + member + "\",\"WithNoActiveGroups\":1,"
                + "\"ResponseFilter\":{\"SelfInfoFilter\":[\"UnreadMsgNum\",\"Role\"]}}");
    }

    @Test
    void importGroupRulesOwnerMembershipAndIds() {
        accounts("owner");
        String id = importGroup("g1", "Public");
        assertThat(id).isEqualTo("g1");
        assertThat(im(ImApi.IMPORT_GROUP, "{\"Type\":\"Public\",\"GroupId\":\"g1\",\"Name\":\"x\"}").path("ErrorCode").asInt()).isEqualTo(10021);
        assertThat(im(ImApi.IMPORT_GROUP, "{\"Type\":\"Public\",\"GroupId\":\"@TGS#custom\",\"Name\":\"x\"}").path("ErrorCode").asInt()).isEqualTo(10004);
        assertThat(im(ImApi.IMPORT_GROUP, "{\"Type\":\"AVChatRoom\",\"Name\":\"x\"}").path("ErrorCode").asInt()).isEqualTo(10007);
        assertThat(im(ImApi.IMPORT_GROUP, "{\"Type\":\"Public\",\"Name\":\"" + "n".repeat(31) + "\"}").path("ErrorCode").asInt()).isEqualTo(10004);
        assertThat(im(ImApi.IMPORT_GROUP, "{\"Type\":\"Public\",\"Name\":\"x\",\"Introduction\":\"" + "i".repeat(241) + "\"}").path("ErrorCode").asInt()).isEqualTo(10004);
        assertThat(im(ImApi.IMPORT_GROUP, "{\"Type\":\"Public\",\"Name\":\"x\",\"AppDefinedData\":[{\"Key\":\"" + "k".repeat(17) + "\",\"Value\":\"v\"}]}")
                .path("ErrorCode").asInt()).isEqualTo(10004);
        assertThat(im(ImApi.IMPORT_GROUP, "{\"Type\":\"Public\",\"Name\":\"x\",\"Owner_Account\":\"ghost\"}").path("ErrorCode").asInt()).isEqualTo(10019);
        String generated = imOk(ImApi.IMPORT_GROUP, "{\"Type\":\"Private\",\"Name\":\"gen\"}").path("GroupId").asText();
        assertThat(generated).matches("@TGS#2[A-Z0-9]{8}");

        JsonNode info = imOk(ImApi.GET_GROUP_INFO, "{\"GroupIdList\":[\"g1\",\"missing\"]}");
        JsonNode g1 = info.at("/GroupInfo/0");
        assertThat(g1.path("ErrorCode").asInt()).isZero();
        assertThat(g1.path("CreateTime").asLong()).isEqualTo(created);
        assertThat(g1.path("MemberNum").asInt()).isEqualTo(1);
        assertThat(g1.path("NextMsgSeq").asInt()).isEqualTo(1);
        assertThat(g1.path("Owner_Account").asText()).isEqualTo("owner");
        assertThat(g1.at("/MemberList/0/Role").asText()).isEqualTo("Owner");
        assertThat(info.at("/GroupInfo/1/ErrorCode").asInt()).isEqualTo(10010);
        assertThat(RECEIVER.received()).as("imports fire no callbacks").isEmpty();
    }

    @Test
    void importGroupMemberResultsJoinTimeRulesAndBatchLimit() {
        accounts("owner", "m1", "m2", "m3");
        importGroup("g1", "Public");
        JsonNode r = imOk(ImApi.IMPORT_GROUP_MEMBER, "{\"GroupId\":\"g1\",\"MemberList\":["
                + "{\"Member_Account\":\"m1\",\"Role\":\"Admin\",\"JoinTime\":" + (created + 5) + ",\"UnreadMsgNum\":50},"
                + "{\"Member_Account\":\"owner\"},"
                + "{\"Member_Account\":\"ghost\"},"
                + "{\"Member_Account\":\"m2\",\"JoinTime\":" + (created - 5) + "},"
                + "{\"Member_Account\":\"m3\",\"Role\":\"Owner\"}]}");
        assertThat(r.path("MemberList").findValuesAsText("Result")).containsExactly("1", "2", "0", "0", "0");
        JsonNode members = imOk(ImApi.GET_GROUP_MEMBER_INFO, "{\"GroupId\":\"g1\"}");
        assertThat(members.path("MemberNum").asInt()).isEqualTo(2);
        assertThat(members.at("/MemberList/1/JoinTime").asLong()).isEqualTo(created + 5);
        assertThat(members.at("/MemberList/1/Role").asText()).isEqualTo("Admin");
        // No messages yet: the requested 50 unread are clamped to 0.
        assertThat(unreadOf("m1").at("/GroupIdList/0/SelfInfo/UnreadMsgNum").asInt()).isZero();

        StringBuilder many = new StringBuilder("{\"GroupId\":\"g1\",\"MemberList\":[");
        for (int i = 0; i < 21; i++) {
            many.append(i > 0 ? "," : "").append("{\"Member_Account\":\"x").append(i).append("\"}");
        }
        assertThat(im(ImApi.IMPORT_GROUP_MEMBER, many + "]}").path("ErrorCode").asInt()).isEqualTo(10005);
        assertThat(im(ImApi.IMPORT_GROUP_MEMBER, "{\"GroupId\":\"nope\",\"MemberList\":[{\"Member_Account\":\"m1\"}]}").path("ErrorCode").asInt()).isEqualTo(10010);
    }

    @Test
    void importGroupMsgEnforcesTimeOrderAndAssignsSequentialSeqs() {
        accounts("owner", "m1");
        importGroup("g1", "Public");
        imOk(ImApi.IMPORT_GROUP_MEMBER, "{\"GroupId\":\"g1\",\"MemberList\":[{\"Member_Account\":\"m1\",\"JoinTime\":" + (created + 1) + "}]}");
        long t = created + 100;
        JsonNode r = imOk(ImApi.IMPORT_GROUP_MSG, "{\"GroupId\":\"g1\",\"MsgList\":[" + msg("owner", t, 1) + "," + msg("m1", t + 1, 2) + ","
                + msg("m1", t - 50, 3) + "," + msg("m1", created - 1, 4) + "," + msg("m1", now() + 100, 5) + "," + msg("ghost", t + 2, 6) + ","
                + msg("owner", t + 3, 7) + "]}");
        JsonNode res = r.path("ImportMsgResult");
        assertThat(res.findValuesAsText("Result")).containsExactly("0", "0", "10004", "10004", "10004", "10004", "0");
        assertThat(res.findValuesAsText("MsgSeq")).containsExactly("1", "2", "0", "0", "0", "0", "3");
        assertThat(res.at("/1/MsgTime").asLong()).isEqualTo(t + 1);

        // Older than the newest message in the group (the same second is accepted: same-second history).
        assertThat(imOk(ImApi.IMPORT_GROUP_MSG, "{\"GroupId\":\"g1\",\"MsgList\":[" + msg("owner", t + 2, 99) + "]}")
                .at("/ImportMsgResult/0/Result").asInt()).isEqualTo(10004);
        // Same Random within 5 minutes: dropped, answers the first message's seq.
        JsonNode dup = imOk(ImApi.IMPORT_GROUP_MSG, "{\"GroupId\":\"g1\",\"MsgList\":[" + msg("owner", t + 10, 7) + "]}");
        assertThat(dup.at("/ImportMsgResult/0/MsgSeq").asInt()).isEqualTo(3);
        assertThat(dup.at("/ImportMsgResult/0/Result").asInt()).isZero();

        StringBuilder eight = new StringBuilder("{\"GroupId\":\"g1\",\"MsgList\":[");
        for (int i = 0; i < 8; i++) {
            eight.append(i > 0 ? "," : "").append(msg("owner", t + 20 + i, 100 + i));
        }
        assertThat(im(ImApi.IMPORT_GROUP_MSG, eight + "]}").path("ErrorCode").asInt()).isEqualTo(10004);

        // A live send continues the same sequence.
        assertThat(imOk(ImApi.SEND_GROUP_MSG, "{\"GroupId\":\"g1\",\"Random\":5000,\"From_Account\":\"m1\",\"MsgBody\":" + text("live") + "}")
                .path("MsgSeq").asInt()).isEqualTo(4);

        JsonNode page = imOk(ImApi.GROUP_MSG_GET_SIMPLE, "{\"GroupId\":\"g1\",\"ReqMsgNumber\":2}");
        assertThat(page.path("RspMsgList").findValuesAsText("MsgSeq")).containsExactly("4", "3");
        assertThat(page.path("IsFinished").asInt()).isEqualTo(1);
        JsonNode older = imOk(ImApi.GROUP_MSG_GET_SIMPLE, "{\"GroupId\":\"g1\",\"ReqMsgNumber\":2,\"ReqMsgSeq\":2}");
        assertThat(older.path("RspMsgList").findValuesAsText("MsgSeq")).containsExactly("2", "1");
        assertThat(older.at("/RspMsgList/1/From_Account").asText()).isEqualTo("owner");
        assertThat(imOk(ImApi.GET_GROUP_INFO, "{\"GroupIdList\":[\"g1\"]}").at("/GroupInfo/0/NextMsgSeq").asInt()).isEqualTo(5);
    }

    @Test
    void unreadCountsAreResetByImportAndClampedBySetUnread() {
        accounts("owner", "m1");
        importGroup("g1", "Private");
        imOk(ImApi.IMPORT_GROUP_MEMBER, "{\"GroupId\":\"g1\",\"MemberList\":[{\"Member_Account\":\"m1\",\"JoinTime\":" + (created + 1) + "}]}");
        assertThat(imOk(ImApi.GET_JOINED_GROUP_LIST, "{\"Member_Account\":\"m1\"}").path("TotalCount").asInt())
                .as("a Private group without messages is not activated").isZero();
        imOk(ImApi.IMPORT_GROUP_MSG, "{\"GroupId\":\"g1\",\"MsgList\":[" + msg("owner", created + 10, 1) + "," + msg("owner", created + 11, 2) + "]}");
        imOk(ImApi.SET_UNREAD_MSG_NUM, "{\"GroupId\":\"g1\",\"Member_Account\":\"m1\",\"UnreadMsgNum\":99}");
        assertThat(unreadOf("m1").at("/GroupIdList/0/SelfInfo/UnreadMsgNum").asInt()).isEqualTo(2);
        imOk(ImApi.IMPORT_GROUP_MSG, "{\"GroupId\":\"g1\",\"MsgList\":[" + msg("owner", created + 12, 3) + "]}");
        assertThat(unreadOf("m1").at("/GroupIdList/0/SelfInfo/UnreadMsgNum").asInt()).isZero();
        assertThat(im(ImApi.SET_UNREAD_MSG_NUM, "{\"GroupId\":\"g1\",\"Member_Account\":\"m1\",\"UnreadMsgNum\":\"1\"}").path("ErrorCode").asInt()).isEqualTo(10004);
    }

    @Test
    void avChatRoomIsRefusedByEveryImportApi() {
        accounts("owner", "m1");
        String av = imOk(ImApi.CREATE_GROUP, "{\"Type\":\"AVChatRoom\",\"Name\":\"live\",\"Owner_Account\":\"owner\"}").path("GroupId").asText();
        assertThat(im(ImApi.IMPORT_GROUP_MEMBER, "{\"GroupId\":\"" + av + "\",\"MemberList\":[{\"Member_Account\":\"m1\"}]}").path("ErrorCode").asInt()).isEqualTo(10007);
        assertThat(im(ImApi.IMPORT_GROUP_MSG, "{\"GroupId\":\"" + av + "\",\"MsgList\":[" + msg("m1", now() - 5, 1) + "]}").path("ErrorCode").asInt()).isEqualTo(10007);
        assertThat(im(ImApi.SET_UNREAD_MSG_NUM, "{\"GroupId\":\"" + av + "\",\"Member_Account\":\"owner\",\"UnreadMsgNum\":1}").path("ErrorCode").asInt()).isEqualTo(10007);
        assertThat(im(ImApi.ADD_GROUP_MEMBER, "{\"GroupId\":\"" + av + "\",\"MemberList\":[{\"Member_Account\":\"m1\"}]}").path("ErrorCode").asInt()).isEqualTo(10007);
    }
}
