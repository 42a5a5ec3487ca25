package org.imsmooth.broker;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code broker.cluster-node-urls} ({@code BROKER_CLUSTER_NODE_URLS}): the live nodes of a symmetric
 * cluster the drain check counts on ({@link QueueDepth}), comma-separated, each one node's address,
 * {@code host:port} or {@code tcp://host:port}, with transport options after {@code ?} if needed. An entry
 * that is not one node's address made every count unknown, so no stage ever ended: the service refuses to
 * start with it, naming the property and the entry (a password in its options masked).
 */
public final class ClusterNodeUrls {

    public static final String PROPERTY = "broker.cluster-node-urls";
    /** Options that would move a node's connection to another node: the count would no longer be that node's. */
    private static final List<String> MOVING_OPTIONS = List.of("ha=true", "usetopologyforloadbalancing=true");

    private ClusterNodeUrls() {
    }

    /** The entries, trimmed, blank ones dropped; an {@link IllegalArgumentException} naming the first bad one. */
    public static List<String> parse(List<String> entries) {
        List<String> nodes = new ArrayList<>();
        for (String raw : entries == null ? List.<String>of() : entries) {
            String entry = raw == null ? "" : raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            String problem = problem(entry);
            if (problem != null) {
                throw new IllegalArgumentException(PROPERTY + " (BROKER_CLUSTER_NODE_URLS): entry '" + shown(entry) + "' " + problem
                        + "; list each live node as host:port or tcp://host:port[?transport options], separated by commas.");
            }
            nodes.add(entry);
        }
        return nodes;
    }

    /** What is wrong with one trimmed entry, or null when it names one node. */
    private static String problem(String entry) {
        if (entry.contains("(") || entry.contains(")")) {
            return "is a list of several nodes";
        }
        String rest = entry;
        int scheme = entry.indexOf("://");
        if (scheme >= 0) {
            if (!entry.substring(0, scheme).equalsIgnoreCase("tcp")) {
                return "has the scheme '" + entry.substring(0, scheme) + "://' (only tcp:// reaches a broker node)";
            }
            rest = entry.substring(scheme + 3);
        }
        int query = rest.indexOf('?');
        String authority = query < 0 ? rest : rest.substring(0, query);
        String options = query < 0 ? "" : rest.substring(query + 1);
        // an IPv6 host is bracketed: [::1]:61616
        int colon = authority.endsWith("]") ? -1 : authority.lastIndexOf(':');
        String host = colon < 0 ? authority : authority.substring(0, colon);
        String port = colon < 0 ? "" : authority.substring(colon + 1);
        if (host.isEmpty()) {
            return "has no host";
        }
        if (host.contains("/") || host.contains(",") || host.contains("@")) {
            return "is not host:port";
        }
        if (port.isEmpty()) {
            return "has no port";
        }
        if (!port.chars().allMatch(Character::isDigit) || port.length() > 5 || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            return "has the port '" + port + "', not a number from 1 to 65535";
        }
        for (String option : options.isEmpty() ? new String[0] : options.split("&")) {
            if (option.indexOf('=') < 1) {
                return "has the option '" + shownOption(option) + "', not name=value";
            }
            if (MOVING_OPTIONS.contains(option.toLowerCase(Locale.ROOT))) {
                return "has the option '" + option + "', which would count another node than this one";
            }
        }
        try {
            new URI("tcp://" + rest);
        } catch (URISyntaxException e) {
            return "is not a URL (" + e.getReason() + ")";
        }
        return null;
    }

    /** The entry as a message may show it: the value of any option named like a password masked. */
    static String shown(String entry) {
        int query = entry.indexOf('?');
        if (query < 0) {
            return entry;
        }
        List<String> options = new ArrayList<>();
        for (String option : entry.substring(query + 1).split("&", -1)) {
            options.add(shownOption(option));
        }
        return entry.substring(0, query + 1) + String.join("&", options);
    }

    private static String shownOption(String option) {
        int equals = option.indexOf('=');
        return equals >= 0 && option.substring(0, equals).toLowerCase(Locale.ROOT).contains("password")
                ? option.substring(0, equals + 1) + "****" : option;
    }
}
