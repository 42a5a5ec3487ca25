package org.imsmooth.canonical;

/** A C2C conversation's key: both old user ids sorted and joined with ':', the same from either side. */
public final class ConversationKey {

    private ConversationKey() {
    }

    public static String of(String a, String b) {
        String x = String.valueOf(a);
        String y = String.valueOf(b);
        return x.compareTo(y) <= 0 ? x + ":" + y : y + ":" + x;
    }
}
