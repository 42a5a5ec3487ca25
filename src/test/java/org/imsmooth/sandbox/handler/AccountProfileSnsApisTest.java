package org.imsmooth.sandbox.handler;

import com.fasterxml.jackson.databind.JsonNode;
import org.imsmooth.im.api.ImApi;
import org.imsmooth.sandbox.support.SandboxTestBase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AccountProfileSnsApisTest extends SandboxTestBase {

    private String status(String id) {
        return imOk(ImApi.ACCOUNT_CHECK, "{\"CheckItem\":[{\"UserID\":\"" + id + "\"}]}")
                .path("ResultItem").get(0).path("AccountStatus").asText();
    }

    @Test
    void accountImportIsIdempotentAndValidatesUserId() {
        imOk(ImApi.ACCOUNT_IMPORT, "{\"UserID\":\"alice\",\"Nick\":\"Alice\"}");
        imOk(ImApi.ACCOUNT_IMPORT, "{\"UserID\":\"alice\",\"Nick\":\"Alice\"}");
        imOk(ImApi.ACCOUNT_IMPORT, "{\"Identifier\":\"bob\"}");
        assertThat(status("alice")).isEqualTo("Imported");
        assertThat(status("bob")).isEqualTo("Imported");
        assertThat(status("carol")).isEqualTo("NotImported");
        assertThat(im(ImApi.ACCOUNT_IMPORT, "{\"UserID\":\"" + "x".repeat(33) + "\"}").path("ErrorCode").asInt()).isEqualTo(70402);
        assertThat(im(ImApi.ACCOUNT_IMPORT, "{\"UserID\":\"tab\\there\"}").path("ErrorCode").asInt()).isEqualTo(70402);
        assertThat(im(ImApi.ACCOUNT_IMPORT, "{\"UserID\":42}").path("ErrorCode").asInt()).isEqualTo(70402);
        JsonNode nick = imOk(ImApi.PORTRAIT_GET, "{\"To_Account\":[\"alice\"],\"TagList\":[\"Tag_Profile_IM_Nick\"]}");
        assertThat(nick.at("/UserProfileItem/0/ProfileItem/0/Value").asText()).isEqualTo("Alice");
    }

    @Test
    void multiAccountImportReportsFailAccountsAndUpdatesNickInNewForm() {
        JsonNode r = imOk(ImApi.MULTIACCOUNT_IMPORT, "{\"Accounts\":[\"u1\",\"u2\",\"" + "y".repeat(40) + "\"]}");
        assertThat(r.path("FailAccounts")).hasSize(1);
        assertThat(r.path("FailAccounts").get(0).asText()).isEqualTo("y".repeat(40));
        imOk(ImApi.MULTIACCOUNT_IMPORT, "{\"AccountList\":[{\"UserID\":\"u1\",\"Nick\":\"One\"},{\"UserID\":\"u3\",\"FaceUrl\":\"http://f\"}]}");
        assertThat(status("u3")).isEqualTo("Imported");
        JsonNode p = imOk(ImApi.PORTRAIT_GET, "{\"To_Account\":[\"u1\",\"u3\"],\"TagList\":[\"Tag_Profile_IM_Nick\",\"Tag_Profile_IM_Image\"]}");
        assertThat(p.at("/UserProfileItem/0/ProfileItem/0/Value").asText()).isEqualTo("One");
        assertThat(p.at("/UserProfileItem/1/ProfileItem/0/Tag").asText()).isEqualTo("Tag_Profile_IM_Image");

        StringBuilder many = new StringBuilder("{\"Accounts\":[");
        for (int i = 0; i < 101; i++) {
            many.append(i > 0 ? "," : "").append("\"m").append(i).append('"');
        }
        assertThat(im(ImApi.MULTIACCOUNT_IMPORT, many + "]}").path("ErrorCode").asInt()).isEqualTo(70402);
        assertThat(status("m0")).isEqualTo("NotImported");
    }

    @Test
    void portraitSetValidatesTagsTypesAndSizes() {
        accounts("alice");
        String prefix = "{\"From_Account\":\"alice\",\"ProfileItem\":[";
        imOk(ImApi.PORTRAIT_SET, prefix + "{\"Tag\":\"Tag_Profile_IM_Gender\",\"Value\":\"Gender_Type_Female\"},"
                + "{\"Tag\":\"Tag_Profile_IM_BirthDay\",\"Value\":19900101},{\"Tag\":\"Tag_Profile_Custom_Hobby\",\"Value\":\"chess\"}]}");
        assertThat(im(ImApi.PORTRAIT_SET, prefix + "{\"Tag\":\"Tag_Profile_IM_Gender\",\"Value\":\"Robot\"}]}").path("ErrorCode").asInt()).isEqualTo(40605);
        assertThat(im(ImApi.PORTRAIT_SET, prefix + "{\"Tag\":\"Tag_Profile_IM_BirthDay\",\"Value\":\"1990\"}]}").path("ErrorCode").asInt()).isEqualTo(40610);
        assertThat(im(ImApi.PORTRAIT_SET, prefix + "{\"Tag\":\"Tag_Profile_IM_Nick\",\"Value\":\"" + "n".repeat(501) + "\"}]}").path("ErrorCode").asInt()).isEqualTo(40601);
        assertThat(im(ImApi.PORTRAIT_SET, prefix + "{\"Tag\":\"Tag_Profile_IM_Location\",\"Value\":\"" + "l".repeat(17) + "\"}]}").path("ErrorCode").asInt()).isEqualTo(40601);
        assertThat(im(ImApi.PORTRAIT_SET, prefix + "{\"Tag\":\"Tag_Profile_IM_Nope\",\"Value\":\"x\"}]}").path("ErrorCode").asInt()).isEqualTo(40009);
        assertThat(im(ImApi.PORTRAIT_SET, prefix + "{\"Tag\":\"Tag_Profile_Custom_Other\",\"Value\":\"x\"}]}").path("ErrorCode").asInt()).isEqualTo(40009);
        assertThat(im(ImApi.PORTRAIT_SET, "{\"From_Account\":\"ghost\",\"ProfileItem\":[{\"Tag\":\"Tag_Profile_IM_Nick\",\"Value\":\"x\"}]}")
                .path("ErrorCode").asInt()).isEqualTo(40003);

        JsonNode got = imOk(ImApi.PORTRAIT_GET, "{\"To_Account\":[\"alice\",\"ghost\"],\"TagList\":[\"Tag_Profile_IM_Gender\","
                + "\"Tag_Profile_IM_BirthDay\",\"Tag_Profile_Custom_Hobby\"]}");
        JsonNode alice = got.at("/UserProfileItem/0");
        assertThat(alice.path("ResultCode").asInt()).isZero();
        assertThat(alice.path("ProfileItem")).hasSize(3);
        assertThat(alice.at("/ProfileItem/0/Value").asText()).isEqualTo("Gender_Type_Female");
        assertThat(alice.at("/ProfileItem/1/Value").isIntegralNumber()).isTrue();
        assertThat(got.at("/UserProfileItem/1/ResultCode").asInt()).isEqualTo(40003);
        assertThat(got.path("Fail_Account").get(0).asText()).isEqualTo("ghost");
    }

    @Test
    void friendImportReportsPerItemResultsAndFriendGetPages() {
        accounts("alice", "b1", "b2", "b3");
        JsonNode r = imOk(ImApi.FRIEND_IMPORT, "{\"From_Account\":\"alice\",\"AddFriendItem\":["
                + "{\"To_Account\":\"b1\",\"AddSource\":\"AddSource_Type_Web\",\"Remark\":\"best\",\"GroupName\":[\"family\"],\"AddTime\":1600000000},"
                + "{\"To_Account\":\"b2\",\"AddSource\":\"AddSource_Type_Web\"},"
                + "{\"To_Account\":\"b3\",\"AddSource\":\"AddSource_Type_Web\"},"
                + "{\"To_Account\":\"ghost\",\"AddSource\":\"AddSource_Type_Web\"},"
                + "{\"To_Account\":\"b2\",\"AddSource\":\"bad\"}]}");
        assertThat(r.path("ResultItem")).hasSize(5);
        assertThat(r.at("/ResultItem/0/ResultCode").asInt()).isZero();
        assertThat(r.at("/ResultItem/3/ResultCode").asInt()).isEqualTo(30003);
        assertThat(r.path("Invalid_Account").get(0).asText()).isEqualTo("ghost");
        assertThat(r.at("/ResultItem/4/ResultCode").asInt()).isEqualTo(30001);
        assertThat(im(ImApi.FRIEND_IMPORT, "{\"From_Account\":\"ghost\",\"AddFriendItem\":[{\"To_Account\":\"b1\",\"AddSource\":\"AddSource_Type_Web\"}]}")
                .path("ErrorCode").asInt()).isEqualTo(30003);

        // Page size is 2 in the test config.
        JsonNode p1 = imOk(ImApi.FRIEND_GET, "{\"From_Account\":\"alice\",\"StartIndex\":0}");
        assertThat(p1.path("FriendNum").asInt()).isEqualTo(3);
        assertThat(p1.path("CompleteFlag").asInt()).isZero();
        assertThat(p1.path("UserDataItem")).hasSize(2);
        JsonNode b1 = p1.at("/UserDataItem/0");
        assertThat(b1.path("To_Account").asText()).isEqualTo("b1");
        assertThat(b1.toString()).contains("Tag_SNS_IM_AddSource", "Tag_SNS_IM_Remark", "best", "Tag_SNS_IM_Group", "family",
                "Tag_SNS_IM_AddTime", "1600000000");
        JsonNode p2 = imOk(ImApi.FRIEND_GET, "{\"From_Account\":\"alice\",\"StartIndex\":" + p1.path("NextStartIndex").asInt() + "}");
        assertThat(p2.path("CompleteFlag").asInt()).isEqualTo(1);
        assertThat(p2.path("UserDataItem")).hasSize(1);
        assertThat(p2.at("/UserDataItem/0/To_Account").asText()).isEqualTo("b3");
    }
}
