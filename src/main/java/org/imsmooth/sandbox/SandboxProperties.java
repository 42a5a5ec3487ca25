package org.imsmooth.sandbox;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.imsmooth.sandbox.quota.CallQuota;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the sandbox ({@code sandbox.*}). Quota and fault values are only the start values:
 * they can be changed at runtime through the admin endpoints. {@link #toString()} never prints the
 * secret key or the callback token.
 */
@ConfigurationProperties("sandbox")
public class SandboxProperties {

    private boolean enabled;
    private long sdkAppId = 1400000000L;
    private String admin = "administrator";
    private String secretKey = "";
    private String stateUrl = "jdbc:h2:file:./data/sandbox";
    /** Roaming retention: admin_getroammsg returns nothing older than this (measured from MsgTimeStamp). */
    private int roamingDays = 7;
    private final Callback callback = new Callback();
    private final Quota quota = new Quota();
    /** How IM's "calls per second" is counted: a sliding one-second window (default, the strictest) or fixed seconds. */
    private CallQuota.Window quotaWindow = CallQuota.Window.SLIDING;
    /** A diagnostic CSV of every call's arrival and quota decision (QuotaTrace); empty (default) = none. */
    private String quotaTraceFile = "";
    private final Faults faults = new Faults();
    private final Limits limits = new Limits();
    private final Profile profile = new Profile();

    public static class Callback {
        private String url = "";
        private String token = "";
        private int timeoutMs = 2000;
        /** Ordering is kept per conversation/group by hashing onto this many single-thread lanes. */
        private int lanes = 4;
        private int logSize = 500;

        public String getUrl() { return url; }
        public void setUrl(String url) { this.url = url; }
        public String getToken() { return token; }
        public void setToken(String token) { this.token = token; }
        public int getTimeoutMs() { return timeoutMs; }
        public void setTimeoutMs(int timeoutMs) { this.timeoutMs = timeoutMs; }
        public int getLanes() { return lanes; }
        public void setLanes(int lanes) { this.lanes = lanes; }
        public int getLogSize() { return logSize; }
        public void setLogSize(int logSize) { this.logSize = logSize; }

        @Override
        public String toString() {
            return "Callback[url=" + url + ", token=" + (token == null || token.isEmpty() ? "<none>" : "<redacted>")
                    + ", timeoutMs=" + timeoutMs + ", lanes=" + lanes + ", logSize=" + logSize + "]";
        }
    }

    public static class Quota {
        /** Null = take {@code ImApi.defaultCallsPerSecond()} per API. */
        private Integer defaultCallsPerSecond;
        private Map<String, Integer> callsPerSecond = new LinkedHashMap<>();
        private int errorCode = 60007;

        public Integer getDefaultCallsPerSecond() { return defaultCallsPerSecond; }
        public void setDefaultCallsPerSecond(Integer v) { this.defaultCallsPerSecond = v; }
        public Map<String, Integer> getCallsPerSecond() { return callsPerSecond; }
        public void setCallsPerSecond(Map<String, Integer> v) { this.callsPerSecond = v; }
        public int getErrorCode() { return errorCode; }
        public void setErrorCode(int errorCode) { this.errorCode = errorCode; }

        @Override
        public String toString() {
            return "Quota[default=" + defaultCallsPerSecond + ", perCommand=" + callsPerSecond + ", errorCode=" + errorCode + "]";
        }
    }

    public static class Faults {
        private long latencyMs;
        private double rate;
        private List<String> kinds = new ArrayList<>(List.of("error-code"));
        private long timeoutMs = 5000;

        public long getLatencyMs() { return latencyMs; }
        public void setLatencyMs(long latencyMs) { this.latencyMs = latencyMs; }
        public double getRate() { return rate; }
        public void setRate(double rate) { this.rate = rate; }
        public List<String> getKinds() { return kinds; }
        public void setKinds(List<String> kinds) { this.kinds = kinds; }
        public long getTimeoutMs() { return timeoutMs; }
        public void setTimeoutMs(long timeoutMs) { this.timeoutMs = timeoutMs; }

        @Override
        public String toString() {
            return "Faults[latencyMs=" + latencyMs + ", rate=" + rate + ", kinds=" + kinds + ", timeoutMs=" + timeoutMs + "]";
        }
    }

    public static class Limits {
        /** import_group_member / add_group_member; the docs say 20 (2026), 100, 300 or 500. */
        private int memberBatch = 20;
        /** friend_import AddFriendItem per call; undocumented upstream. */
        private int friendImportBatch = 100;
        /** friend_get page size; undocumented upstream. */
        private int friendGetPage = 100;
        /** MsgBody size cap in bytes (old docs: 8000). */
        private int maxMsgBodyBytes = 8000;
        /** create_group MemberList cap (100 per JSDK, 500 in old docs). */
        private int createGroupMembers = 100;

        public int getMemberBatch() { return memberBatch; }
        public void setMemberBatch(int v) { this.memberBatch = v; }
        public int getFriendImportBatch() { return friendImportBatch; }
        public void setFriendImportBatch(int v) { this.friendImportBatch = v; }
        public int getFriendGetPage() { return friendGetPage; }
        public void setFriendGetPage(int v) { this.friendGetPage = v; }
        public int getMaxMsgBodyBytes() { return maxMsgBodyBytes; }
        public void setMaxMsgBodyBytes(int v) { this.maxMsgBodyBytes = v; }
        public int getCreateGroupMembers() { return createGroupMembers; }
        public void setCreateGroupMembers(int v) { this.createGroupMembers = v; }

        @Override
        public String toString() {
            return "Limits[memberBatch=" + memberBatch + ", friendImportBatch=" + friendImportBatch
                    + ", friendGetPage=" + friendGetPage + ", maxMsgBodyBytes=" + maxMsgBodyBytes
                    + ", createGroupMembers=" + createGroupMembers + "]";
        }
    }

    public static class Profile {
        /** Custom profile tags "configured in the console", e.g. Tag_Profile_Custom_Hobby. */
        private List<String> customTags = new ArrayList<>();

        public List<String> getCustomTags() { return customTags; }
        public void setCustomTags(List<String> customTags) { this.customTags = customTags; }

        @Override
        public String toString() { return "Profile[customTags=" + customTags + "]"; }
    }

    public boolean isEnabled() { return enabled; }
    public void setEnabled(boolean enabled) { this.enabled = enabled; }
    public long getSdkAppId() { return sdkAppId; }
    public void setSdkAppId(long sdkAppId) { this.sdkAppId = sdkAppId; }
    public String getAdmin() { return admin; }
    public void setAdmin(String admin) { this.admin = admin; }
    public String getSecretKey() { return secretKey; }
    public void setSecretKey(String secretKey) { this.secretKey = secretKey; }
    public String getStateUrl() { return stateUrl; }
    public void setStateUrl(String stateUrl) { this.stateUrl = stateUrl; }
    public int getRoamingDays() { return roamingDays; }
    public void setRoamingDays(int roamingDays) { this.roamingDays = roamingDays; }
    public Callback getCallback() { return callback; }
    public Quota getQuota() { return quota; }
    public CallQuota.Window getQuotaWindow() { return quotaWindow; }
    public String getQuotaTraceFile() { return quotaTraceFile; }
    public void setQuotaTraceFile(String quotaTraceFile) { this.quotaTraceFile = quotaTraceFile; }
    public void setQuotaWindow(CallQuota.Window quotaWindow) { this.quotaWindow = quotaWindow; }
    public Faults getFaults() { return faults; }
    public Limits getLimits() { return limits; }
    public Profile getProfile() { return profile; }

    @Override
    public String toString() {
        return "SandboxProperties[enabled=" + enabled + ", sdkAppId=" + sdkAppId + ", admin=" + admin
                + ", secretKey=<redacted>, stateUrl=" + stateUrl + ", roamingDays=" + roamingDays
                + ", " + callback + ", " + quota + ", quotaWindow=" + quotaWindow + ", " + faults + ", " + limits + ", " + profile + "]";
    }
}
