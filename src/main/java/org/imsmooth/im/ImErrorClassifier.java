package org.imsmooth.im;

import java.util.Map;

import static java.util.Map.entry;

/**
 * The one table deciding whether an IM failure is worth retrying. Listed codes are transient
 * (rate limits, IM-internal errors and timeouts); every other code is permanent (bad parameters,
 * missing accounts, size limits, auth, sensitive words...) and must go to the dead-letter queue
 * with its code instead of being retried. Used for whole-call ErrorCodes and per-item codes alike.
 */
public final class ImErrorClassifier {

    /** Retryable codes with the reason IM documents for them (reference sections 0, 2-6). */
    private static final Map<Integer, String> RETRYABLE = Map.ofEntries(
            // rate limits
            entry(60007, "REST call rate exceeded"),
            entry(60011, "SDKAppID rate exceeded"),
            entry(60018, "too frequent"),
            entry(60019, "too frequent"),
            entry(10006, "group API rate limit"),
            entry(10023, "group message rate exceeded"),
            // IM-internal errors and timeouts
            entry(60014, "account exchange timeout"),
            entry(70169, "internal timeout"),
            entry(70202, "internal timeout"),
            entry(70500, "internal error"),
            entry(90992, "internal error, retry"),
            entry(91000, "internal error, retry"),
            entry(20004, "network error"),
            entry(20005, "internal error"),
            entry(10002, "internal error"),
            entry(30006, "relationship chain internal error"),
            entry(30007, "relationship chain timeout"),
            entry(40006, "profile internal error"));

    private ImErrorClassifier() {
    }

    /** IM's rate-limit codes: the call was refused for coming too fast, not for what it carried. */
    private static final java.util.Set<Integer> RATE_LIMITS = java.util.Set.of(60007, 60011, 60018, 60019, 10006, 10023);

    public static boolean isRateLimit(int errorCode) {
        return RATE_LIMITS.contains(errorCode);
    }

    public static boolean isRetryable(int errorCode) {
        return RETRYABLE.containsKey(errorCode);
    }

    /** Transport-level: 5xx (e.g. 502 from IM's gateway), 429 and 408 are transient; other non-200s are not. */
    public static boolean isRetryableHttpStatus(int httpStatus) {
        return httpStatus >= 500 || httpStatus == 429 || httpStatus == 408;
    }

    /**
     * True when IM refused the whole call whatever records it carried: no ErrorCode (an HTTP error, an
     * answer that is not IM's), the public REST codes 60000-60099 (request form, SDKAppID, permissions)
     * and 70000-70099 (UserSig, keys, account of the caller). Such a refusal is a configuration problem,
     * not invalid data; the other permanent codes are about the records sent.
     */
    public static boolean refusesEveryCall(int errorCode) {
        return errorCode == ImCallException.NO_CODE || (errorCode >= 60000 && errorCode < 60100)
                || (errorCode >= 70000 && errorCode < 70100);
    }

    /** Why a code is retryable, or null for permanent codes. */
    public static String retryReason(int errorCode) {
        return RETRYABLE.get(errorCode);
    }

    /** The retryable codes, for documentation and tests. */
    public static Map<Integer, String> retryableCodes() {
        return RETRYABLE;
    }
}
