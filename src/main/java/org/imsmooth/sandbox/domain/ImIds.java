package org.imsmooth.sandbox.domain;

import java.nio.charset.StandardCharsets;

/** Identifier and length rules shared by all APIs (reference sections 0 and 6). */
public final class ImIds {

    private ImIds() {
    }

    /** UserID: 1..32 bytes of printable ASCII 0x20–0x7e. */
    public static boolean validUserId(String id) {
        return id != null && !id.isEmpty() && id.length() <= 32 && printableAscii(id);
    }

    /** Custom GroupId: printable ASCII ≤48 bytes; only Community ids may (must) start with @TGS#_. */
    public static String groupIdProblem(String id, String type) {
        if (id.isEmpty() || id.length() > 48 || !printableAscii(id)) {
            return "GroupId must be 1..48 bytes of printable ASCII";
        }
        if ("Community".equals(type)) {
            return id.startsWith("@TGS#_") ? null : "a custom Community GroupId must start with @TGS#_";
        }
        return id.startsWith("@TGS#") ? "a custom GroupId must not start with @TGS#" : null;
    }

    public static boolean printableAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    public static int utf8Length(String s) {
        return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
    }
}
