package org.imsmooth.im.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A {@code {Tag, Value}} pair: profile items (portrait_set/get), friend custom items and friend
 * ValueItem. The value is a uint64, a string or (for Tag_SNS_IM_Group) an array of strings, so it
 * is kept as the JSON value Jackson reads: Integer/Long/BigInteger, String or List.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record TagValue(
        @JsonProperty("Tag") String tag,
        @JsonProperty("Value") Object value) {

    public static TagValue of(String tag, String value) {
        return new TagValue(tag, value);
    }

    public static TagValue of(String tag, long value) {
        if (value < 0) {
            throw new IllegalArgumentException("Tag " + tag + ": IM integer values are unsigned, got " + value);
        }
        return new TagValue(tag, value);
    }

    /** The value as text: strings unchanged, numbers in decimal. */
    @JsonIgnore
    public String valueAsString() {
        return value == null ? null : value.toString();
    }

    /** The value as a number; fails for non-numeric values rather than guessing. */
    @JsonIgnore
    public long valueAsLong() {
        if (value instanceof Number n) {
            return n.longValue();
        }
        throw new IllegalStateException("Tag " + tag + " holds a " + (value == null ? "null" : value.getClass().getSimpleName()) + ", not a number");
    }
}
