package org.imsmooth.im;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.imsmooth.im.api.ItemFailure;
import org.imsmooth.im.api.MsgElement;
import org.imsmooth.im.api.TagValue;
import org.imsmooth.im.api.account.AccountCheckResult;
import org.imsmooth.im.api.account.MultiAccountImportRequest;
import org.imsmooth.im.api.account.MultiAccountImportResult;
import org.imsmooth.im.api.c2c.AdminGetRoamMsgResult;
import org.imsmooth.im.api.c2c.ImportMsgRequest;
import org.imsmooth.im.api.c2c.SendMsgRequest;
import org.imsmooth.im.api.group.GetGroupInfoResult;
import org.imsmooth.im.api.group.GetJoinedGroupListResult;
import org.imsmooth.im.api.group.GroupMsgGetSimpleResult;
import org.imsmooth.im.api.group.ImportGroupMsgResult;
import org.imsmooth.im.api.group.MemberListResult;
import org.imsmooth.im.api.profile.PortraitGetResult;
import org.imsmooth.im.api.sns.FriendImportResult;
import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The shared model against the reference's JSON shapes, through plain Jackson. */
class ImApiModelJsonTest {

    private final ObjectMapper json = new ObjectMapper();

    /** Every element type of reference 5.5, plus one IM may add later, exactly as IM would send them. */
    static final String ALL_ELEMENTS = """
            [{"MsgType":"TIMTextElem","MsgContent":{"Text":"hello"}},
             {"MsgType":"TIMImageElem","MsgContent":{"UUID":"1853095_D61040894AC3DE44CDFFFB3EC7EB720F","ImageFormat":1,
               "ImageInfoArray":[{"Type":1,"Size":1853095,"Width":2448,"Height":3264,"URL":"https://example.com/o.jpg"},
                                 {"Type":3,"Size":2000,"Width":198,"Height":198,"URL":"https://example.com/t.jpg"}]}},
             {"MsgType":"TIMFileElem","MsgContent":{"Url":"https://example.com/f","UUID":"f1","FileSize":1773552,"FileName":"file.txt","Download_Flag":2}},
             {"MsgType":"TIMSoundElem","MsgContent":{"Url":"https://example.com/s","UUID":"s1","Size":62351,"Second":1,"Download_Flag":2}},
             {"MsgType":"TIMVideoFileElem","MsgContent":{"VideoUrl":"https://example.com/v","VideoUUID":"v1","VideoSize":1194603,
               "VideoSecond":5,"VideoFormat":"mp4","VideoDownloadFlag":2,"ThumbUrl":"https://example.com/vt","ThumbUUID":"t1",
               "ThumbSize":13907,"ThumbWidth":720,"ThumbHeight":1280,"ThumbFormat":"JPG","ThumbDownloadFlag":2}},
             {"MsgType":"TIMLocationElem","MsgContent":{"Desc":"someplace","Latitude":29.340656774469956,"Longitude":116.77497920478824}},
             {"MsgType":"TIMFaceElem","MsgContent":{"Index":1,"Data":"content"}},
             {"MsgType":"TIMCustomElem","MsgContent":{"Data":"message","Desc":"notification","Ext":"url","Sound":"dingdong.aiff"}},
             {"MsgType":"TIMRelayElem","MsgContent":{"Title":"chat","MsgNum":2,"CompatibleText":"x","AbstractList":["a: 1","b: 2"],
               "MultiMsgId":"m1","Nested":{"Deep":[1,2,{"K":null}]}}}]
            """;

    @Test
    void everyMessageElementTypeSurvivesARoundTripUnchanged() throws Exception {
        String sample = "{\"GroupId\":\"@TGS#2C5SZEAEF\",\"IsFinished\":1,\"RspMsgList\":[{\"From_Account\":\"144115198577104885\","
                + "\"IsPlaceMsg\":0,\"MsgBody\":" + ALL_ELEMENTS + ",\"MsgPriority\":1,\"MsgRandom\":4294967295,"
                + "\"MsgSeq\":4294967294,\"MsgTimeStamp\":1497171134}]}";
        GroupMsgGetSimpleResult r = json.readValue(sample, GroupMsgGetSimpleResult.class);

        List<MsgElement> body = r.rspMsgList().get(0).msgBody();
        assertThat(body).extracting(MsgElement::msgType).containsExactly("TIMTextElem", "TIMImageElem", "TIMFileElem",
                "TIMSoundElem", "TIMVideoFileElem", "TIMLocationElem", "TIMFaceElem", "TIMCustomElem", "TIMRelayElem");
        assertThat(body.get(0).textContent()).isEqualTo("hello");
        assertThat(r.rspMsgList().get(0).msgRandom()).isEqualTo(4294967295L); // uint32 does not overflow
        // Re-serialised content equals IM's, element by element and key order included.
        JsonNode original = json.readTree(ALL_ELEMENTS);
        JsonNode again = json.valueToTree(body);
        assertThat(again).isEqualTo(original);
        assertThat(fieldNames(again.get(4).get("MsgContent"))).isEqualTo(fieldNames(original.get(4).get("MsgContent")));
    }

    @Test
    void elementFactoriesUseTencentFieldNames() throws Exception {
        List<MsgElement> built = List.of(
                MsgElement.text("hello"),
                MsgElement.image("1853095_D61040894AC3DE44CDFFFB3EC7EB720F", 1, List.of(
                        MsgElement.imageInfo(1, 1853095, 2448, 3264, "https://example.com/o.jpg"),
                        MsgElement.imageInfo(3, 2000, 198, 198, "https://example.com/t.jpg"))),
                MsgElement.file("https://example.com/f", "f1", 1773552, "file.txt"),
                MsgElement.sound("https://example.com/s", "s1", 62351, 1),
                MsgElement.video("https://example.com/v", "v1", 1194603, 5, "mp4", "https://example.com/vt", "t1",
                        13907, 720, 1280, "JPG"),
                MsgElement.location("someplace", 29.340656774469956, 116.77497920478824),
                MsgElement.face(1, "content"),
                MsgElement.custom("message", "notification", "url", "dingdong.aiff"));
        JsonNode expected = json.readTree(ALL_ELEMENTS);
        for (int i = 0; i < built.size(); i++) {
            JsonNode actual = json.readTree(json.writeValueAsString(built.get(i))); // as the wire would carry it
            assertThat(actual).as(built.get(i).msgType()).isEqualTo(expected.get(i));
        }
        assertThat(json.writeValueAsString(MsgElement.custom("only-data")))
                .isEqualTo("{\"MsgType\":\"TIMCustomElem\",\"MsgContent\":{\"Data\":\"only-data\"}}");
    }

    @Test
    void multiaccountImportReportsFailAccounts() throws Exception {
        MultiAccountImportResult r = json.readValue("""
                {"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","FailAccounts":["test3","test4"]}""",
                MultiAccountImportResult.class);
        assertThat(r.failedItems()).extracting(ItemFailure::itemId, ItemFailure::code)
                .containsExactly(tuple("test3", -1), tuple("test4", -1));
        assertThat(json.readValue("{\"ActionStatus\":\"OK\",\"ErrorCode\":0}", MultiAccountImportResult.class).allSucceeded())
                .isTrue();
        assertThat(json.writeValueAsString(MultiAccountImportRequest.ofIds(List.of("a", "b"))))
                .isEqualTo("{\"Accounts\":[\"a\",\"b\"]}");
    }

    @Test
    void accountCheckSplitsNotImportedFromFailed() throws Exception {
        AccountCheckResult r = json.readValue("""
                {"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ResultItem":[
                 {"UserID":"UserID_1","ResultCode":0,"ResultInfo":"","AccountStatus":"NotImported"},
                 {"UserID":"UserID_2","ResultCode":0,"ResultInfo":"","AccountStatus":"Imported"},
                 {"UserID":"bad id","ResultCode":70402,"ResultInfo":"Err_TLS_PT_Open_Login_Param_Invalid"}]}""",
                AccountCheckResult.class);
        assertThat(r.notImported()).containsExactly("UserID_1");
        assertThat(r.failedItems()).containsExactly(new ItemFailure("bad id", 70402, "Err_TLS_PT_Open_Login_Param_Invalid"));
    }

    @Test
    void friendImportListsEachFailedPeerOnceWithItsCode() throws Exception {
        FriendImportResult r = json.readValue("""
                {"ResultItem":[{"To_Account":"id1","ResultCode":0,"ResultInfo":""},
                               {"To_Account":"id2","ResultCode":30010,"ResultInfo":"Err_SNS_FriendImport_Friend_Limit"},
                               {"To_Account":"id3","ResultCode":30001,"ResultInfo":"Err_SNS_FriendImport_Param"}],
                 "Fail_Account":["id2","id3"],"Invalid_Account":["id4"],
                 "ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":""}""", FriendImportResult.class);
        assertThat(r.failedItems()).extracting(ItemFailure::itemId, ItemFailure::code)
                .containsExactly(tuple("id2", 30010), tuple("id3", 30001), tuple("id4", -1));
    }

    @Test
    void groupMemberResultsCountOnlyResultZeroAsFailure() throws Exception {
        MemberListResult r = json.readValue("""
                {"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","MemberList":[
                 {"Member_Account":"tommy","Result":1},{"Member_Account":"jared","Result":0},
                 {"Member_Account":"peter","Result":2},{"Member_Account":"kate","Result":3}]}""", MemberListResult.class);
        assertThat(r.failedItems()).extracting(ItemFailure::itemId).containsExactly("jared");
    }

    @Test
    void importGroupMsgFailuresAreListedByPositionWithTheirResultCode() throws Exception {
        ImportGroupMsgResult r = json.readValue("""
                {"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ImportMsgResult":[
                 {"MsgSeq":1,"MsgTime":1620000001,"Result":0},{"MsgSeq":0,"MsgTime":1620000002,"Result":80001},
                 {"MsgSeq":2,"MsgTime":1620000003,"Result":0},{"MsgSeq":0,"MsgTime":1620000004,"Result":10004}]}""",
                ImportGroupMsgResult.class);
        assertThat(r.failedItems()).extracting(ItemFailure::itemId, ItemFailure::code)
                .containsExactly(tuple("1", 80001), tuple("3", 10004));
        assertThat(r.importMsgResult()).extracting(i -> i.msgSeq()).containsExactly(1L, 0L, 2L, 0L);
    }

    @Test
    void getGroupInfoReportsPerGroupErrors() throws Exception {
        GetGroupInfoResult r = json.readValue("""
                {"ActionStatus":"OK","ErrorCode":0,"GroupInfo":[
                 {"GroupId":"@TGS#2J4SZEAEL","ErrorCode":0,"ErrorInfo":"","Type":"Public","Name":"MyFirstGroup",
                  "Owner_Account":"leckie","CreateTime":1426976500,"NextMsgSeq":12,"MemberNum":2,"ShutUpAllMember":"Off",
                  "AppDefinedData":[{"Key":"Tag","Value":"x"}],
                  "MemberList":[{"Member_Account":"leckie","Role":"Owner","JoinTime":1425976500,"ShutUpUntil":0}]},
                 {"GroupId":"@TGS#gone","ErrorCode":10010,"ErrorInfo":"this group does not exist"}]}""",
                GetGroupInfoResult.class);
        assertThat(r.failedItems()).containsExactly(new ItemFailure("@TGS#gone", 10010, "this group does not exist"));
        assertThat(r.groupInfo().get(0).memberList().get(0).role()).isEqualTo("Owner");
        assertThat(r.groupInfo().get(0).appDefinedData().get(0).value()).isEqualTo("x");
    }

    @Test
    void profileValuesAreUint64OrString() throws Exception {
        PortraitGetResult r = json.readValue("""
                {"UserProfileItem":[{"To_Account":"id1","ProfileItem":[
                   {"Tag":"Tag_Profile_IM_Nick","Value":"nick"},{"Tag":"Tag_Profile_IM_BirthDay","Value":20190419},
                   {"Tag":"Tag_Profile_Custom_Big","Value":18446744073709551615}],"ResultCode":0,"ResultInfo":""},
                  {"To_Account":"id2","ResultCode":40003,"ResultInfo":"Err_Profile_Account_Not_Exist"}],
                 "ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ErrorDisplay":""}""", PortraitGetResult.class);
        List<TagValue> items = r.userProfileItem().get(0).profileItem();
        assertThat(items.get(0).valueAsString()).isEqualTo("nick");
        assertThat(items.get(1).valueAsLong()).isEqualTo(20190419L);
        assertThat(items.get(2).value()).isEqualTo(new BigInteger("18446744073709551615"));
        assertThat(r.failedItems()).extracting(ItemFailure::itemId, ItemFailure::code).containsExactly(tuple("id2", 40003));
        assertThat(json.writeValueAsString(List.of(TagValue.of("Tag_Profile_IM_Level", 3), TagValue.of("Tag_Profile_IM_Nick", "n"))))
                .isEqualTo("[{\"Tag\":\"Tag_Profile_IM_Level\",\"Value\":3},{\"Tag\":\"Tag_Profile_IM_Nick\",\"Value\":\"n\"}]");
    }

    @Test
    void roamAndJoinedGroupReadBacks() throws Exception {
        AdminGetRoamMsgResult roam = json.readValue("""
                {"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0,"Complete":0,"MsgCnt":1,"LastMsgTime":1584669680,
                 "LastMsgKey":"549396494_2578554_1584669680","MsgList":[{"From_Account":"user1","To_Account":"user2",
                 "MsgSeq":549396494,"MsgRandom":2578554,"MsgTimeStamp":1584669680,"MsgFlagBits":0,"IsPeerRead":0,
                 "MsgKey":"549396494_2578554_1584669680","MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"1"}}],
                 "CloudCustomData":""}]}""", AdminGetRoamMsgResult.class);
        assertThat(roam.finished()).isFalse();
        assertThat(roam.msgList().get(0).msgKey()).isEqualTo("549396494_2578554_1584669680");

        GetJoinedGroupListResult joined = json.readValue("""
                {"ActionStatus":"OK","ErrorCode":0,"TotalCount":1,"GroupIdList":[{"GroupId":"g1",
                 "SelfInfo":{"Role":"Member","JoinTime":1620000000,"MsgFlag":"AcceptAndNotify","UnreadMsgNum":7}}]}""",
                GetJoinedGroupListResult.class);
        assertThat(joined.groupIdList().get(0).selfInfo().unreadMsgNum()).isEqualTo(7);
    }

    @Test
    void requestsUseTencentNamesAndOmitNulls() throws Exception {
        JsonNode importMsg = json.valueToTree(ImportMsgRequest.history("a", "b", 1, 4294967295L, 1700000000L,
                List.of(MsgElement.text("hi"))));
        assertThat(fieldNames(importMsg)).containsExactly("SyncFromOldSystem", "From_Account", "To_Account", "MsgSeq",
                "MsgRandom", "MsgTimeStamp", "MsgBody");
        assertThat(importMsg.get("SyncFromOldSystem").asInt()).isEqualTo(2);

        JsonNode send = json.valueToTree(SendMsgRequest.of("a", "b", 7, List.of(MsgElement.text("hi"))).withoutCallbacks());
        assertThat(send.get("ForbidCallbackControl").toString())
                .isEqualTo("[\"ForbidBeforeSendMsgCallback\",\"ForbidAfterSendMsgCallback\"]");
        assertThat(send.has("MsgLifeTime")).isFalse();
    }

    /**
     * Every record of the shared model: the three Jackson annotations, every component named with
     * {@code @JsonProperty}, and serialising a fully populated instance yields exactly those names
     * (no helper method like failedItems() leaks onto the wire), and reads back equal.
     */
    @Test
    void everyModelRecordIsPlainTencentShapedData() throws Exception {
        List<Class<?>> records = new ArrayList<>();
        for (JavaClass c : new ClassFileImporter().withImportOption(new ImportOption.DoNotIncludeTests())
                .importPackages("org.imsmooth.im.api")) {
            if (c.reflect().isRecord() && c.getPackageName().startsWith("org.imsmooth.im.api")) {
                records.add(c.reflect());
            }
        }
        assertThat(records).hasSizeGreaterThan(50);
        for (Class<?> type : records) {
            if (type == ItemFailure.class) {
                continue; // derived, not a wire type
            }
            assertThat(type.getAnnotation(JsonInclude.class)).as(type.getName()).isNotNull()
                    .extracting(JsonInclude::value).isEqualTo(JsonInclude.Include.NON_NULL);
            assertThat(type.getAnnotation(JsonIgnoreProperties.class)).as(type.getName()).isNotNull()
                    .extracting(JsonIgnoreProperties::ignoreUnknown).isEqualTo(true);
            Set<String> names = new HashSet<>();
            for (RecordComponent rc : type.getRecordComponents()) {
                JsonProperty p = rc.getAccessor().getAnnotation(JsonProperty.class); // propagated from the component
                assertThat(p).as(type.getSimpleName() + "." + rc.getName()).isNotNull();
                names.add(p.value());
            }
            Object instance = populated(type);
            JsonNode tree = json.valueToTree(instance);
            assertThat(fieldNames(tree)).as(type.getName()).containsExactlyInAnyOrderElementsOf(names);
            assertThat(json.treeToValue(tree, type)).as(type.getName()).isEqualTo(instance);
        }
    }

    private static Object populated(Class<?> type) throws Exception {
        RecordComponent[] rcs = type.getRecordComponents();
        Class<?>[] types = new Class<?>[rcs.length];
        Object[] args = new Object[rcs.length];
        for (int i = 0; i < rcs.length; i++) {
            types[i] = rcs[i].getType();
            Class<?> t = types[i];
            if (t == String.class || t == Object.class) {
                args[i] = "v" + i;
            } else if (t == Integer.class || t == int.class) {
                args[i] = i + 1;
            } else if (t == Long.class || t == long.class) {
                args[i] = 4294967295L + i;
            } else if (t == List.class) {
                args[i] = List.of();
            } else if (t == Map.class) {
                args[i] = Map.of("k", "v");
            } else if (t.isRecord()) {
                args[i] = populated(t);
            } else {
                throw new AssertionError("unexpected component type " + t + " in " + type);
            }
        }
        return type.getDeclaredConstructor(types).newInstance(args);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
