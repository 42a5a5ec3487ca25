package org.imsmooth.pipeline.profile;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.imsmooth.canonical.ProfileRecord;
import org.imsmooth.canonical.RejectedRecordException;
import org.imsmooth.im.api.TagValue;
import org.imsmooth.pipeline.TextLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * A canonical profile as portrait_set's ProfileItem list (reference section 3): standard tags with
 * IM's enum values and byte limits, plus the custom tags the operator listed in
 * {@code pipeline.profiles.custom-tags} (IM refuses tags not configured in its console, so any other
 * {@code custom_*} column is left out, logged once).
 */
@Component
public class ProfileItems {

    private static final Logger LOG = LoggerFactory.getLogger(ProfileItems.class);
    static final String CUSTOM_TAG_PREFIX = "Tag_Profile_Custom_";
    private static final long UINT32_MAX = 0xFFFFFFFFL;

    /** The ProfileItem list and the truncation notes (null when nothing was cut). */
    public record Items(List<TagValue> items, String truncationNote) {
    }

    private final TextLimits limits;
    /** Configured keyword by lower-case spelling: columns arrive lower-cased, tags keep the configured case. */
    private final Map<String, String> customKeywords = new TreeMap<>();
    private final Set<String> ignoredLogged = ConcurrentHashMap.newKeySet();

    public ProfileItems(TextLimits limits, @Value("${pipeline.profiles.custom-tags:}") List<String> customTags) {
        this.limits = limits;
        for (String tag : customTags) {
            String keyword = tag.trim().startsWith(CUSTOM_TAG_PREFIX) ? tag.trim().substring(CUSTOM_TAG_PREFIX.length()) : tag.trim();
            if (!keyword.matches("[A-Za-z]{1,8}")) {
                throw new IllegalArgumentException("pipeline.profiles.custom-tags: '" + tag
                        + "' is not a custom tag keyword (letters only, at most 8)");
            }
            customKeywords.put(keyword.toLowerCase(Locale.ROOT), keyword);
        }
    }

    public Items of(ProfileRecord p) {
        String id = p.sourceId();
        List<TagValue> items = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        text(items, notes, id, "Tag_Profile_IM_Nick", p.nick(), 500);
        if (p.gender() != null) {
            items.add(TagValue.of("Tag_Profile_IM_Gender", switch (p.gender().trim().toLowerCase(Locale.ROOT)) {
                case "male" -> "Gender_Type_Male";
                case "female" -> "Gender_Type_Female";
                default -> "Gender_Type_Unknown";
            }));
        }
        if (p.birthday() != null) {
            items.add(TagValue.of("Tag_Profile_IM_BirthDay", birthday(id, p.birthday())));
        }
        text(items, notes, id, "Tag_Profile_IM_Location", p.location(), 16);
        text(items, notes, id, "Tag_Profile_IM_SelfSignature", p.signature(), 500);
        String allow = allowType(p.allowType());
        if (allow != null) {
            items.add(TagValue.of("Tag_Profile_IM_AllowType", allow));
        }
        text(items, notes, id, "Tag_Profile_IM_Image", p.faceUrl(), 500);
        uint32(items, id, "Tag_Profile_IM_Language", p.language());
        uint32(items, id, "Tag_Profile_IM_Level", p.level());
        uint32(items, id, "Tag_Profile_IM_Role", p.role());
        if (p.custom() != null) {
            p.custom().forEach((keyword, value) -> {
                String configured = customKeywords.get(keyword);
                if (configured == null) {
                    if (ignoredLogged.add(keyword)) {
                        LOG.info("Column custom_{} is not in pipeline.profiles.custom-tags; it is not imported", keyword);
                    }
                    return;
                }
                text(items, notes, id, CUSTOM_TAG_PREFIX + configured, value, 500);
            });
        }
        return new Items(items, notes.isEmpty() ? null : String.join("; ", notes));
    }

    private void text(List<TagValue> items, List<String> notes, String id, String tag, String value, int maxBytes) {
        TextLimits.Fitted fitted = limits.fit(id, tag, value, maxBytes);
        if (fitted.value() != null) {
            items.add(TagValue.of(tag, fitted.value()));
        }
        if (fitted.truncated()) {
            notes.add(fitted.note());
        }
    }

    /** uint32 yyyymmdd, as IM stores birthdays; a date in the future can only be a data error. */
    private static long birthday(String id, String iso) {
        LocalDate date;
        try {
            date = LocalDate.parse(iso.length() > 10 ? iso.substring(0, 10) : iso);
        } catch (DateTimeParseException e) {
            throw new RejectedRecordException(id, "birthday '" + iso + "' is not a date");
        }
        if (date.isAfter(LocalDate.now())) {
            throw new RejectedRecordException(id, "birthday " + date + " is in the future");
        }
        return date.getYear() * 10000L + date.getMonthValue() * 100L + date.getDayOfMonth();
    }

    private static String allowType(String value) {
        if (value == null) {
            return null;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "any" -> "AllowType_Type_AllowAny";
            case "confirm" -> "AllowType_Type_NeedConfirm";
            case "deny" -> "AllowType_Type_DenyAny";
            default -> null; // unknown policy: leave IM's default rather than guess
        };
    }

    private static void uint32(List<TagValue> items, String id, String tag, Long value) {
        if (value == null) {
            return;
        }
        if (value < 0 || value > UINT32_MAX) {
            throw new RejectedRecordException(id, tag + " is " + value + "; IM stores an unsigned 32-bit integer");
        }
        items.add(TagValue.of(tag, value));
    }
}
