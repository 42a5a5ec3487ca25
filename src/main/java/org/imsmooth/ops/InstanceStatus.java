package org.imsmooth.ops;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.jms.JmsConsumer;
import org.apache.camel.component.jms.JmsEndpoint;
import org.imsmooth.pipeline.ApiQuotas;
import org.imsmooth.state.InstanceId;
import org.imsmooth.state.OrchestratorLease;
import org.imsmooth.sync.toim.CaptureLease;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jms.listener.AbstractMessageListenerContainer;
import org.springframework.jms.listener.DefaultMessageListenerContainer;
import org.springframework.stereotype.Component;

/**
 * What this instance is and does, for {@code /api/migration/status} ({@code "instance"}): its id,
 * which leases it holds (and who holds them: any instance answers), the work-queue consumers it runs,
 * and the calls per second it lets go to each IM API (over the last minute of status polls) with the
 * API's pace. Every instance answers for itself: ask each one, or read the lease holders from any.
 */
@Component
public class InstanceStatus {

    private static final long WINDOW_MS = 60_000;

    private record Sample(long atMillis, long calls) {
    }

    private final InstanceId instance;
    private final OrchestratorLease readerLease;
    private final ObjectProvider<CaptureLease> captureLease;
    private final CamelContext camel;
    private final ApiQuotas quotas;
    private final Map<String, Deque<Sample>> samples = new ConcurrentHashMap<>();

    public InstanceStatus(InstanceId instance, OrchestratorLease readerLease, ObjectProvider<CaptureLease> captureLease,
                          CamelContext camel, ApiQuotas quotas) {
        this.instance = instance;
        this.readerLease = readerLease;
        this.captureLease = captureLease;
        this.camel = camel;
        this.quotas = quotas;
    }

    public Map<String, Object> report() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", instance.id());
        out.put("readerLease", readerLease.held());
        out.put("readerLeaseHolder", holder(readerLease));
        CaptureLease capture = captureLease.getIfAvailable();
        out.put("captureLease", capture != null && capture.held());
        out.put("captureLeaseHolder", capture == null ? null : holder(capture));
        out.put("consumers", consumers());
        out.put("quotaShared", quotas.sharedAcrossInstances());
        out.put("apis", apis());
        return out;
    }

    private static String holder(org.imsmooth.state.DatabaseLease lease) {
        try {
            return lease.holder().orElse(null);
        } catch (RuntimeException e) {
            return null; // the state database is down: the stages say so
        }
    }

    /** Per work-queue route: the queue and the consumers this instance runs on it (active and configured). */
    private List<Map<String, Object>> consumers() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Route route : camel.getRoutes()) {
            if (route.getConsumer() instanceof JmsConsumer consumer && route.getEndpoint() instanceof JmsEndpoint endpoint) {
                AbstractMessageListenerContainer container;
                try {
                    container = consumer.getListenerContainer();
                } catch (Exception e) {
                    continue; // not created yet: no consumers on this queue here
                }
                int active = container instanceof DefaultMessageListenerContainer d ? d.getActiveConsumerCount() : 0;
                int configured = container instanceof DefaultMessageListenerContainer d ? d.getConcurrentConsumers()
                        : endpoint.getConcurrentConsumers();
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("queue", endpoint.getDestinationName());
                line.put("route", route.getRouteId());
                line.put("active", active);
                line.put("configured", configured);
                out.add(line);
            }
        }
        return out;
    }

    /** Per IM API this instance paced: calls/s it let go recently, and the pace (configured, current). */
    private Map<String, Object> apis() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String api : new TreeSet<>(quotas.pacedApis())) {
            ApiQuotas.Pace pace = quotas.pace(api);
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("callsPerSecond", Math.round(rate(api, quotas.callsGranted(api)) * 10) / 10.0);
            line.put("calls", quotas.callsGranted(api));
            line.put("lateSlots", quotas.lateSlots(api)); // slots given up: their callers woke too late to use them
            line.put("unusedSlots", quotas.unusedSlots(api)); // slots reserved that no caller was waiting for
            line.put("paceConfigured", pace.configured());
            line.put("paceCurrent", pace.current());
            out.put(api, line);
        }
        return out;
    }

    private double rate(String api, long calls) {
        long now = System.currentTimeMillis();
        Deque<Sample> window = samples.computeIfAbsent(api, a -> new ArrayDeque<>());
        synchronized (window) {
            window.addLast(new Sample(now, calls));
            while (window.size() > 2 && now - window.peekFirst().atMillis() > WINDOW_MS) {
                window.removeFirst();
            }
            Sample first = window.peekFirst();
            long spanMs = now - first.atMillis();
            return spanMs < 500 ? 0 : (calls - first.calls()) * 1000.0 / spanMs;
        }
    }
}
