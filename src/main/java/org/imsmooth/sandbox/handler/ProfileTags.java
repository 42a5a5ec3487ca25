package org.imsmooth.sandbox.handler;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.imsmooth.sandbox.domain.ImIds;
import org.imsmooth.sandbox.http.ImApiException;
import org.imsmooth.sandbox.state.AccountStore.ProfileValue;

/** Standard profile tags, their types and allowed values (reference section 3), plus configured custom tags. */
final class ProfileTags {

    private static final Pattern CUSTOM = Pattern.compile("Tag_Profile_Custom_[A-Za-z]{1,8}");
    private static final Set<String> UINT_TAGS = Set.of("Tag_Profile_IM_BirthDay", "Tag_Profile_IM_Language",
            "Tag_Profile_IM_MsgSettings", "Tag_Profile_IM_Level", "Tag_Profile_IM_Role");
    private static final Map<String, Set<String>> ENUMS = Map.of(
            "Tag_Profile_IM_Gender", Set.of("Gender_Type_Unknown", "Gender_Type_Female", "Gender_Type_Male"),
            "Tag_Profile_IM_AllowType", Set.of("AllowType_Type_NeedConfirm", "AllowType_Type_AllowAny", "AllowType_Type_DenyAny"),
            "Tag_Profile_IM_AdminForbidType", Set.of("AdminForbid_Type_None", "AdminForbid_Type_SendOut"));
    private static final Set<String> STRING_TAGS = Set.of("Tag_Profile_IM_Nick", "Tag_Profile_IM_Gender",
            "Tag_Profile_IM_Location", "Tag_Profile_IM_SelfSignature", "Tag_Profile_IM_AllowType",
            "Tag_Profile_IM_Image", "Tag_Profile_IM_AdminForbidType");

    private final Set<String> customTags;

    ProfileTags(List<String> customTags) {
        this.customTags = Set.copyOf(customTags);
    }

    boolean known(String tag) {
        return UINT_TAGS.contains(tag) || STRING_TAGS.contains(tag)
                || (CUSTOM.matcher(tag).matches() && customTags.contains(tag));
    }

    /** Validates one value for a known tag; codes 40610 (type), 40605 (enum), 40601 (size). */
    ProfileValue value(String tag, JsonNode v) {
        if (v == null || v.isNull()) {
            throw new ImApiException(40001, "Value is required for " + tag);
        }
        if (UINT_TAGS.contains(tag)) {
            if (!v.isIntegralNumber() || v.asLong() < 0 || v.asLong() > 4294967295L) {
                throw new ImApiException(40610, tag + " must be an unsigned 32-bit integer");
            }
            return new ProfileValue(Long.toString(v.asLong()), true);
        }
        if (STRING_TAGS.contains(tag)) {
            if (!v.isTextual()) {
                throw new ImApiException(40610, tag + " must be a string");
            }
            String s = v.asText();
            Set<String> allowed = ENUMS.get(tag);
            if (allowed != null && !allowed.contains(s)) {
                throw new ImApiException(40605, tag + " must be one of " + allowed);
            }
            int max = "Tag_Profile_IM_Location".equals(tag) ? 16 : 500;
            if (ImIds.utf8Length(s) > max) {
                throw new ImApiException(40601, tag + " is longer than " + max + " bytes");
            }
            return new ProfileValue(s, false);
        }
        // Custom tags hold a string or an integer.
        if (v.isIntegralNumber()) {
            return new ProfileValue(Long.toString(v.asLong()), true);
        }
        if (!v.isTextual()) {
            throw new ImApiException(40610, tag + " must be a string or an integer");
        }
        if (ImIds.utf8Length(v.asText()) > 500) {
            throw new ImApiException(40601, tag + " is longer than 500 bytes");
        }
        return new ProfileValue(v.asText(), false);
    }
}
