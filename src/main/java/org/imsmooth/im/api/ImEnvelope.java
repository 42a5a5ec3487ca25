package org.imsmooth.im.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The envelope every IM response carries (reference section 0). It is also the whole typed result
 * of calls that answer with nothing else (e.g. importmsg, set_unread_msg_num). Payload records
 * ({@code *Result}) carry only their own fields: the same JSON object holds both.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImEnvelope(
        @JsonProperty("ActionStatus") String actionStatus,
        @JsonProperty("ErrorCode") Integer errorCode,
        @JsonProperty("ErrorInfo") String errorInfo,
        @JsonProperty("ErrorDisplay") String errorDisplay,
        @JsonProperty("RequestId") String requestId) {

    public static final String OK = "OK";
    public static final String FAIL = "FAIL";

    public static ImEnvelope ok() {
        return new ImEnvelope(OK, 0, "", null, null);
    }

    public static ImEnvelope fail(int errorCode, String errorInfo) {
        return new ImEnvelope(FAIL, errorCode, errorInfo, null, null);
    }

    /** OK only when both say so: a missing ErrorCode with "OK" counts as 0, a non-zero code never as success. */
    @JsonIgnore
    public boolean isOk() {
        return OK.equals(actionStatus) && (errorCode == null || errorCode == 0);
    }

    /** The code to classify: the ErrorCode, or -1 when a FAIL came without one. */
    @JsonIgnore
    public int codeOrUnknown() {
        return errorCode != null ? errorCode : ItemFailure.UNKNOWN_CODE;
    }
}
