package org.imsmooth.canonical;

import java.nio.charset.StandardCharsets;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Derives IM UserIDs and GroupIds from old-system ids with a configurable pattern (e.g. {@code u%s}),
 * because old usernames are often longer than 32 bytes or not ASCII. Import and sync both use this
 * one rule, and the id map keeps the result. An id that breaks IM's rules is rejected with the reason.
 */
@Component("imIds")
public class ImIdRule {

    static final int MAX_USER_ID_BYTES = 32;
    static final int MAX_GROUP_ID_BYTES = 48;
    private static final String SERVER_GROUP_ID_PREFIX = "@TGS#";
    private static final String COMMUNITY_GROUP_ID_PREFIX = "@TGS#_";

    private final String userPattern;
    private final String groupPattern;

    public ImIdRule(@Value("${ids.user-pattern:u%s}") String userPattern, @Value("${ids.group-pattern:g%s}") String groupPattern) {
        this.userPattern = userPattern;
        this.groupPattern = groupPattern;
    }

    /** The IM UserID of an old user id. */
    public String user(String oldUserId) {
        String id = String.format(userPattern, require(oldUserId, "user id"));
        checkPrintableAscii(oldUserId, id, MAX_USER_ID_BYTES, "UserID");
        return id;
    }

    /** The IM GroupId of an old group id. */
    public String group(String oldGroupId) {
        String id = String.format(groupPattern, require(oldGroupId, "group id"));
        checkPrintableAscii(oldGroupId, id, MAX_GROUP_ID_BYTES, "GroupId");
        if (id.startsWith(SERVER_GROUP_ID_PREFIX)) {
            throw new RejectedRecordException(oldGroupId, "GroupId '" + id + "' starts with @TGS#, which IM reserves for its own ids");
        }
        return id;
    }

    /**
     * The IM GroupId of an old Community group: IM wants custom Community ids to start with {@code @TGS#_},
     * so the usual GroupId gets that prefix (and must still fit 48 bytes).
     */
    public String communityGroup(String oldGroupId) {
        String id = COMMUNITY_GROUP_ID_PREFIX + group(oldGroupId);
        checkPrintableAscii(oldGroupId, id, MAX_GROUP_ID_BYTES, "Community GroupId");
        return id;
    }

    private static String require(String oldId, String what) {
        if (oldId == null || oldId.isBlank()) {
            throw new RejectedRecordException(null, "missing " + what);
        }
        return oldId.trim();
    }

    private static void checkPrintableAscii(String oldId, String id, int maxBytes, String what) {
        byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > maxBytes) {
            throw new RejectedRecordException(oldId, what + " '" + id + "' is " + bytes.length + " bytes; IM allows at most " + maxBytes);
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new RejectedRecordException(oldId, what + " '" + id + "' contains a character outside printable ASCII (0x20-0x7e)");
            }
        }
    }
}
