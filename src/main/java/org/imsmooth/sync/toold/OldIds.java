package org.imsmooth.sync.toold;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.imsmooth.canonical.RejectedRecordException;
import org.imsmooth.state.IdMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * IM ids back to old-system ids: the inverse of the id rule ({@code ids.user-pattern} /
 * {@code ids.group-pattern}, e.g. {@code u%s}), else the id map (entities created on one side under
 * another id). Numeric old ids are returned as numbers so they bind to BIGINT columns everywhere.
 */
@Component
public class OldIds {

    static final String ACCOUNT = "account";
    static final String GROUP = "group";

    private final Pattern userRule;
    private final Pattern groupRule;
    private static final String COMMUNITY_PREFIX = "@TGS#_";

    private final IdMap idMap;
    private final boolean numericOnly;

    /**
     * @param numericOnly the old ids are numbers (as in the reference schema): a rule match that is not
     *                    a number (App 2.0 group "gteam") is outside the rule and gets an old id of its own
     */
    public OldIds(@Value("${ids.user-pattern:u%s}") String userPattern, @Value("${ids.group-pattern:g%s}") String groupPattern,
                  @Value("${sync.im-to-old.numeric-old-ids:true}") boolean numericOnly, IdMap idMap) {
        this.userRule = inverse(userPattern);
        this.groupRule = inverse(groupPattern);
        this.numericOnly = numericOnly;
        this.idMap = idMap;
    }

    /** The old user id of an IM UserID, or a rejection naming it. */
    public Object user(String imUserId, String sourceId) {
        if (imUserId == null) {
            throw new RejectedRecordException(sourceId, "event names no user");
        }
        // the rule first: it covers every imported user without a lookup per message
        String old = byRule(userRule, imUserId);
        if (old == null) {
            old = idMap.oldIdOf(ACCOUNT, imUserId).orElse(null);
        }
        if (old == null) {
            throw new RejectedRecordException(sourceId, "IM user '" + imUserId + "' has no old-system id (outside the id rule "
                    + userRule.pattern() + " and not in the id map)");
        }
        return typed(old);
    }

    /** The old group id of a GroupId, if the rule or the id map knows it. */
    public Optional<Object> group(String groupId) {
        Optional<String> mapped = idMap.oldIdOf(GROUP, groupId);
        if (mapped.isPresent()) {
            return Optional.of(typed(mapped.get()));
        }
        // Community GroupIds carry IM's required prefix in front of the rule (ImIdRule.communityGroup)
        String ruled = groupId.startsWith(COMMUNITY_PREFIX) ? groupId.substring(COMMUNITY_PREFIX.length()) : groupId;
        return Optional.ofNullable(byRule(groupRule, ruled)).map(OldIds::typed);
    }

    public Object requireGroup(String groupId, String sourceId) {
        return group(groupId).orElseThrow(() -> new RejectedRecordException(sourceId, "IM group '" + groupId
                + "' has no old-system id (outside the id rule " + groupRule.pattern() + " and not in the id map)"));
    }

    private String byRule(Pattern rule, String imId) {
        Matcher m = rule.matcher(imId);
        if (!m.matches() || numericOnly && !(typed(m.group(1)) instanceof Long)) {
            return null;
        }
        return m.group(1);
    }

    /** u%s -> ^\Qu\E(.+)$ */
    static Pattern inverse(String pattern) {
        int at = pattern.indexOf("%s");
        if (at < 0) {
            throw new IllegalArgumentException("id pattern '" + pattern + "' has no %s");
        }
        return Pattern.compile(Pattern.quote(pattern.substring(0, at)) + "(.+)" + Pattern.quote(pattern.substring(at + 2)));
    }

    static Object typed(String oldId) {
        if (!oldId.isEmpty() && oldId.length() <= 18 && oldId.chars().allMatch(Character::isDigit)) {
            return Long.parseLong(oldId);
        }
        return oldId;
    }
}
