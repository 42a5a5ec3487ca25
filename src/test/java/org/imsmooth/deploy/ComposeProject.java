package org.imsmooth.deploy;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Compose files as {@code docker compose -f a -f b} sees them with no .env file: later files merged over
 * earlier ones (maps key by key, lists appended except command/entrypoint/test, a service's volumes
 * merged by their target path), {@code ${VAR:-default}} resolved to its default and
 * {@code $$} to {@code $}. Paths stay relative to the project folder, as Compose resolves them.
 */
final class ComposeProject {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\$|\\$\\{([A-Za-z0-9_]+)(?:(:?-)([^}]*))?}");

    /** Lists an overlay replaces rather than extends (Compose's merge rules). */
    private static final java.util.Set<String> REPLACED_LISTS = java.util.Set.of("command", "entrypoint", "test");

    final JsonNode root;

    private ComposeProject(JsonNode root) {
        this.root = root;
    }

    static ComposeProject load(List<String> files) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        ObjectNode merged = yaml.createObjectNode();
        for (String file : files) {
            merge(merged, yaml.readTree(new File(file)));
        }
        return new ComposeProject(merged);
    }

    List<String> serviceNames() {
        return names(root.path("services"));
    }

    JsonNode service(String name) {
        return root.path("services").path(name);
    }

    /** The service's environment after interpolation (map or KEY=VALUE list form). */
    Map<String, String> environment(String service) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode node = service(service).path("environment");
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> env.put(e.getKey(), interpolate(e.getValue().asText())));
        } else {
            node.forEach(item -> {
                String[] kv = item.asText().split("=", 2);
                env.put(kv[0], kv.length > 1 ? interpolate(kv[1]) : "");
            });
        }
        return env;
    }

    /** Bind mounts and named volumes as [source, target]. */
    List<String[]> volumes(String service) {
        List<String[]> out = new ArrayList<>();
        service(service).path("volumes").forEach(v -> {
            String[] parts = interpolate(v.asText()).split(":");
            out.add(new String[] {parts[0], parts.length > 1 ? parts[1] : parts[0]});
        });
        return out;
    }

    /** Published ports as [host, container] (an optional leading host IP is dropped). */
    List<int[]> ports(String service) {
        List<int[]> out = new ArrayList<>();
        service(service).path("ports").forEach(p -> {
            String[] parts = interpolate(p.asText()).split(":");
            out.add(new int[] {Integer.parseInt(parts[parts.length - 2]), Integer.parseInt(parts[parts.length - 1])});
        });
        return out;
    }

    List<String> command(String service) {
        List<String> out = new ArrayList<>();
        service(service).path("command").forEach(c -> out.add(interpolate(c.asText())));
        return out;
    }

    String healthcheck(String service) {
        JsonNode test = service(service).path("healthcheck").path("test");
        List<String> parts = new ArrayList<>();
        test.forEach(t -> parts.add(t.asText()));
        return test.isTextual() ? test.asText() : String.join(" ", parts);
    }

    static String interpolate(String value) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            // nothing is set in a fresh checkout: every variable takes its default (or is empty)
            String replacement = m.group(0).equals("$$") ? "$" : m.group(3) == null ? "" : m.group(3);
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static String target(JsonNode volume) {
        String[] parts = volume.asText().split(":");
        return parts.length > 1 ? parts[1] : parts[0];
    }

    private static void merge(ObjectNode target, JsonNode overlay) {
        overlay.fields().forEachRemaining(e -> {
            JsonNode existing = target.get(e.getKey());
            if (existing instanceof ObjectNode o && e.getValue().isObject()) {
                merge(o, e.getValue());
            } else if (existing instanceof ArrayNode a && e.getValue().isArray() && e.getKey().equals("volumes")) {
                // Compose keys a service's mounts by their path in the container: an overlay's mount replaces
                e.getValue().forEach(v -> {
                    for (int i = a.size() - 1; i >= 0; i--) {
                        if (target(a.get(i)).equals(target(v))) {
                            a.remove(i);
                        }
                    }
                    a.add(v.deepCopy());
                });
            } else if (existing instanceof ArrayNode a && e.getValue().isArray() && !REPLACED_LISTS.contains(e.getKey())) {
                a.addAll((ArrayNode) e.getValue());
            } else {
                target.set(e.getKey(), e.getValue().deepCopy());
            }
        });
    }
}
