package org.imsmooth.ops.security;

import java.util.Map;
import java.util.Set;

import javax.management.ObjectName;

import org.jolokia.server.core.service.api.Restrictor;
import org.jolokia.server.core.util.HttpMethod;
import org.jolokia.server.core.util.RequestType;

/**
 * What the operator credential may do through Jolokia ({@code /actuator/jolokia}, and Hawtio through
 * {@code /actuator/hawtio/jolokia}): read attributes, list and search MBeans, and run only the
 * operations an operator needs: the broker's queue operations for dead-letter queues (browse, count,
 * list, retry, move, remove) and Camel route start/stop/suspend/resume. Everything else is refused:
 * Camel context operations (send/request a body to any endpoint, evaluate a language expression: they
 * read {@code {{im.secret-key}}} or write files), attribute writes, {@code DiagnosticCommand},
 * {@code HotSpotDiagnostic} (heap dumps to a file), flight recordings, Spring's admin MBean.
 * Attributes that carry the process's command line or system properties (where a secret passed as
 * {@code --ops.password=...} lands) are not readable. Registered as a bean: Jolokia's Spring Boot support
 * hands every {@link Restrictor} bean to its agent servlet, in place of a {@code jolokia-access.xml}.
 * <p>
 * CORS: the agent never answers with {@code Access-Control-Allow-Origin} (it used to reflect any
 * origin, with credentials). Whether a browser request from another site may reach the agent at all
 * is decided before it, by {@link CrossSiteRequestGuard}, which knows this service's own origin.
 */
public final class JolokiaAccessPolicy implements Restrictor {

    static final String ARTEMIS = "org.apache.activemq.artemis";
    static final String CAMEL = "org.apache.camel";

    /** Operations on a broker queue (DLQs and work queues alike): inspect, retry, move, remove. */
    static final Set<String> QUEUE_OPERATIONS = Set.of(
            "browse", "countMessages", "countDeliveringMessages", "listMessages", "listMessagesAsJSON",
            "listScheduledMessages", "listScheduledMessagesAsJSON", "listDeliveringMessages", "listDeliveringMessagesAsJSON",
            "getFirstMessageAsJSON", "getFirstMessageAge", "getFirstMessageTimestamp",
            "retryMessage", "retryMessages", "moveMessage", "moveMessages",
            "removeMessage", "removeMessages", "removeAllMessages");

    /** Read-only broker operations: a queue's dead-letter address and delivery limits. */
    static final Set<String> BROKER_OPERATIONS = Set.of("getAddressSettingsAsJSON");

    static final Set<String> ROUTE_OPERATIONS = Set.of("start", "stop", "suspend", "resume");

    /**
     * Hawtio's own read-only helpers: the MBean tree it draws (same content as Jolokia's list) and
     * which operations to offer.
     */
    static final Map<String, Set<String>> HAWTIO_OPERATIONS = Map.of(
            "hawtio:type=security,name=RBACRegistry", Set.of("list"),
            "hawtio:type=security,area=jmx,name=HawtioDummyJMXSecurity", Set.of("canInvoke"));

    /** Attributes that show the process's arguments and system properties, where secrets may be. */
    static final Map<String, Set<String>> HIDDEN_ATTRIBUTES = Map.of(
            "java.lang:type=Runtime", Set.of("SystemProperties", "InputArguments"));

    /** MBeans that can run diagnostics or write files and are of no use to an operator: not even listed. */
    static final Set<String> HIDDEN_MBEANS = Set.of(
            "com.sun.management:type=DiagnosticCommand", "com.sun.management:type=HotSpotDiagnostic",
            "jdk.management.jfr:type=FlightRecorder");

    @Override
    public boolean isHttpMethodAllowed(HttpMethod method) {
        return method == HttpMethod.GET || method == HttpMethod.POST;
    }

    @Override
    public boolean isTypeAllowed(RequestType type) {
        return switch (type) {
            case READ, LIST, SEARCH, VERSION, EXEC -> true;
            default -> false; // attribute writes, agent configuration, notification subscriptions
        };
    }

    @Override
    public boolean isAttributeReadAllowed(ObjectName name, String attribute) {
        if (name == null || isObjectNameHidden(name)) {
            return false;
        }
        if (attribute == null) {
            return true;
        }
        for (Map.Entry<String, Set<String>> hidden : HIDDEN_ATTRIBUTES.entrySet()) {
            if (matches(name, hidden.getKey()) && hidden.getValue().contains(attribute)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean isAttributeWriteAllowed(ObjectName name, String attribute) {
        return false;
    }

    @Override
    public boolean isOperationAllowed(ObjectName name, String operation) {
        if (name == null || operation == null || name.isPattern() || isObjectNameHidden(name)) {
            return false; // one named MBean at a time: a pattern would run the operation on every match
        }
        String op = withoutSignature(operation);
        String domain = name.getDomain();
        if (ARTEMIS.equals(domain)) {
            String broker = name.getKeyProperty("broker");
            if (broker == null) {
                return false;
            }
            if ("queues".equals(name.getKeyProperty("subcomponent")) && "addresses".equals(name.getKeyProperty("component"))
                    && name.getKeyProperty("queue") != null) {
                return QUEUE_OPERATIONS.contains(op);
            }
            // the broker itself: exactly broker=<name>
            return name.getKeyPropertyList().size() == 1 && BROKER_OPERATIONS.contains(op);
        }
        if (CAMEL.equals(domain)) {
            return "routes".equals(name.getKeyProperty("type")) && ROUTE_OPERATIONS.contains(op);
        }
        for (Map.Entry<String, Set<String>> hawtio : HAWTIO_OPERATIONS.entrySet()) {
            if (matches(name, hawtio.getKey())) {
                return hawtio.getValue().contains(op);
            }
        }
        return false;
    }

    @Override
    public boolean isRemoteAccessAllowed(String... hostOrAddress) {
        return true; // who may call is decided by the operator credential, before the agent
    }

    /**
     * {@code strict} is Jolokia's "may this origin call at all" check, already made by
     * {@link CrossSiteRequestGuard} (it knows the service's own origin, Jolokia does not); otherwise the
     * question is whether to send CORS headers, and the answer is never.
     */
    @Override
    public boolean isOriginAllowed(String origin, boolean strict) {
        return strict;
    }

    @Override
    public boolean isObjectNameHidden(ObjectName name) {
        if (name == null) {
            return false;
        }
        for (String hidden : HIDDEN_MBEANS) {
            if (matches(name, hidden)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(ObjectName name, String canonical) {
        try {
            return new ObjectName(canonical).equals(name) || (!name.isPattern() && new ObjectName(canonical).apply(name));
        } catch (javax.management.MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Jolokia passes {@code op(java.lang.String,...)} when the caller named an overload. */
    static String withoutSignature(String operation) {
        int paren = operation.indexOf('(');
        return (paren < 0 ? operation : operation.substring(0, paren)).trim();
    }
}
