package org.imsmooth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.imsmooth.im.ImProfiles;
import org.imsmooth.im.api.TagValue;
import org.imsmooth.im.api.profile.PortraitGetRequest;
import org.imsmooth.im.api.profile.UserProfile;
import org.imsmooth.state.IdMap;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * Profiles end to end: demo users -> portrait_set in the sandbox, read back with portrait_get. Also
 * covers the custom tag whitelist, truncation, a user without values, invalid values, an unknown
 * user, and a replay after a simulated crash that must not call IM again.
 */
@CamelSpringBootTest
@ActiveProfiles("test")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "migration.auto-start=false",
        "oldsystem.demo.users=30", "oldsystem.demo.messages=0", "oldsystem.demo.groups=0", "oldsystem.demo.group-messages=0",
        "oldsystem.page-size=12",
        "pipeline.profiles.batch-size=5",
        "pipeline.profiles.custom-tags=Hobby",
        "sandbox.profile.custom-tags=Tag_Profile_Custom_Hobby",
        // the reference schema has no custom columns: map two, only one of them configured
        "oldsystem.queries.profiles.sql=SELECT id AS source_id, nickname AS nick, gender, birthday, location, signature, "
                + "allow_friend AS allow_type, avatar_url AS face_url, language, level, role, "
                + "nickname AS custom_hobby, username AS custom_secret "
                + "FROM users WHERE id > :after_source_id ORDER BY id LIMIT :limit"})
class ProfileImportPipelineTest extends ImportStageTestSupport {

    private static final List<String> TAGS = List.of("Tag_Profile_IM_Nick", "Tag_Profile_IM_Gender", "Tag_Profile_IM_BirthDay",
            "Tag_Profile_IM_Location", "Tag_Profile_IM_SelfSignature", "Tag_Profile_IM_AllowType", "Tag_Profile_IM_Image",
            "Tag_Profile_IM_Language", "Tag_Profile_IM_Level", "Tag_Profile_IM_Role", "Tag_Profile_Custom_Hobby");

    @Autowired ImProfiles imProfiles;

    @Test
    void importsEveryProfileOnceReadableFromImAndDeadLettersTheInvalid() throws Exception {
        var old = oldSystem();
        old.update("INSERT INTO users (id, username, nickname, location, created_at) VALUES "
                + "(9001, 'long', 'Long Location', 'Guangdong Province, Shenzhen City', CURRENT_TIMESTAMP)");
        old.update("INSERT INTO users (id, username, created_at) VALUES (9002, 'empty', CURRENT_TIMESTAMP)");
        old.update("INSERT INTO users (id, username, nickname, birthday, created_at) VALUES "
                + "(9003, 'future', 'Future', DATEADD('YEAR', 1, CURRENT_DATE), CURRENT_TIMESTAMP)");
        old.update("INSERT INTO users (id, username, nickname, level, created_at) VALUES (9004, 'neg', 'Negative', -1, CURRENT_TIMESTAMP)");
        runStage("accounts", 34);
        // added after the accounts stage: a profile of a user IM does not know
        old.update("INSERT INTO users (id, username, nickname, created_at) VALUES (9005, 'late', 'Late', CURRENT_TIMESTAMP)");

        producer.sendBody("direct:import-profiles", null);
        awaitProcessed("profiles", 35);

        // 9002 has nothing to set: no call, but done (its account is its whole profile), so it reconciles
        assertThat(idMap.count("profiles", IdMap.DONE)).isEqualTo(32);
        assertThat(state.queryForObject("SELECT COUNT(*) FROM id_map WHERE kind = 'profiles' AND old_id = '9002' AND state = 'done'",
                Integer.class)).isEqualTo(1);
        var counters = counters("profiles");
        assertThat(counters.imported()).isEqualTo(32);
        assertThat(counters.skipped()).isZero();
        assertThat(counters.deadLettered()).isEqualTo(3);
        assertThat(counters.truncated()).isEqualTo(1);
        assertThat(imCalls("portrait_set")).isEqualTo(31);
        assertThat(state.queryForObject("SELECT detail FROM id_map WHERE kind = 'profiles' AND old_id = '9001'", String.class))
                .contains("Tag_Profile_IM_Location").contains("IM allows 16");

        Map<String, String> reasons = reasonsBySourceId(drainDeadLetters("profiles"));
        assertThat(reasons).containsOnlyKeys("9003", "9004", "9005");
        assertThat(reasons.get("9003")).contains("in the future");
        assertThat(reasons.get("9004")).contains("unsigned 32-bit");
        assertThat(reasons.get("9005")).contains("unknown user");

        // what IM says: every standard tag as the old system had it, mapped to IM's values
        Map<String, UserProfile> im = readBack();
        List<Map<String, Object>> rows = old.queryForList("SELECT * FROM users WHERE id <= 30 ORDER BY id");
        assertThat(rows).hasSize(30);
        for (Map<String, Object> row : rows) {
            Map<String, Object> tags = tags(im.get("u" + row.get("ID")));
            assertThat(tags.get("Tag_Profile_IM_Nick")).isEqualTo(row.get("NICKNAME"));
            assertThat(tags.get("Tag_Profile_Custom_Hobby")).isEqualTo(row.get("NICKNAME"));
            assertThat(tags.get("Tag_Profile_IM_Gender")).isEqualTo(switch (String.valueOf(row.get("GENDER"))) {
                case "male" -> "Gender_Type_Male";
                case "female" -> "Gender_Type_Female";
                default -> null; // no gender in the old system: the tag is not set (IM's default is Unknown)
            });
            assertThat(tags.get("Tag_Profile_IM_AllowType")).isEqualTo(switch (String.valueOf(row.get("ALLOW_FRIEND"))) {
                case "any" -> "AllowType_Type_AllowAny";
                case "confirm" -> "AllowType_Type_NeedConfirm";
                default -> "AllowType_Type_DenyAny";
            });
            assertThat(tags.get("Tag_Profile_IM_BirthDay").toString())
                    .isEqualTo(row.get("BIRTHDAY").toString().replace("-", ""));
            assertThat(tags.get("Tag_Profile_IM_SelfSignature")).isEqualTo(row.get("SIGNATURE"));
            assertThat(((Number) tags.get("Tag_Profile_IM_Level")).longValue()).isEqualTo(((Number) row.get("LEVEL")).longValue());
            assertThat(((Number) tags.get("Tag_Profile_IM_Role")).longValue()).isEqualTo(((Number) row.get("ROLE")).longValue());
            if (row.get("AVATAR_URL") != null) {
                assertThat(tags.get("Tag_Profile_IM_Image")).isEqualTo(row.get("AVATAR_URL"));
            }
        }
        assertThat(tags(im.get("u9001")).get("Tag_Profile_IM_Location")).isEqualTo("Guangdong Provin");

        // replay after a simulated crash: every row re-read, every done profile skipped, no IM call
        replayFromScratch("profiles", 32);
        assertThat(imCalls("portrait_set")).isEqualTo(31);
        assertThat(idMap.count("profiles", IdMap.DONE)).isEqualTo(32);
    }

    private Map<String, UserProfile> readBack() {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            ids.add("u" + i);
        }
        ids.add("u9001");
        Map<String, UserProfile> out = new HashMap<>();
        for (UserProfile p : imProfiles.portraitGet(new PortraitGetRequest(ids, TAGS)).userProfileItem()) {
            out.put(p.toAccount(), p);
        }
        return out;
    }

    private static Map<String, Object> tags(UserProfile profile) {
        assertThat(profile).isNotNull();
        Map<String, Object> out = new HashMap<>();
        for (TagValue t : profile.profileItem()) {
            out.put(t.tag(), t.value());
        }
        return out;
    }
}
