package org.loes4j.cli.report;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A provenance map (the {@code provenance} of every loes4j JSON output, or the demo's) shown as a few
 * folded groups instead of one long table: environment, inputs, hyper-parameters, timings, and everything
 * else. Each group is a {@code <details>} block (open it to read; no script needed) with its keys flattened
 * to dotted names inside.
 */
public final class ProvenanceSection {
    /** The groups, in page order. */
    public enum Group {
        ENVIRONMENT("environment"), INPUTS("inputs"), HYPER_PARAMETERS("hyper-parameters"), TIMINGS("timings"),
        DETAILS("other details");

        private final String title;

        Group(String title) {
            this.title = title;
        }

        /** Its heading on the page. */
        public String title() {
            return title;
        }
    }

    private static final Set<String> ENVIRONMENT = Set.of("loes4jVersion", "jdk", "os", "backend", "threads",
            "command");
    /** The inputs and their sizes (select records rows, dimensions and classes beside the digests). */
    private static final Set<String> INPUTS = Set.of("inputs", "data", "encoder", "extract", "trainEmbeddings",
            "testEmbeddings", "rows", "calibrationRows", "dim", "classes", "targetColumns", "candidateLayers");
    private static final Set<String> HYPER_PARAMETERS = Set.of("method", "seed", "seeds", "firstSeed",
            "hyperParameters", "loes", "training", "k", "kRequested", "kUsed", "methods", "valFraction",
            "calibrationFraction", "greedyEpochs");
    private static final Set<String> TIMINGS = Set.of("timings", "timingsMs");

    private ProvenanceSection() {
    }

    /** The group a top-level provenance key belongs to. */
    public static Group groupOf(String key) {
        if (ENVIRONMENT.contains(key) || key.startsWith("backend.")) {
            return Group.ENVIRONMENT;
        }
        if (INPUTS.contains(key)) {
            return Group.INPUTS;
        }
        if (HYPER_PARAMETERS.contains(key)) {
            return Group.HYPER_PARAMETERS;
        }
        if (TIMINGS.contains(key)) {
            return Group.TIMINGS;
        }
        return Group.DETAILS;
    }

    /**
     * The provenance split into its groups (in {@link Group} order, empty groups left out), each flattened:
     * nested maps become dotted keys ({@code seeds.split}), arrays and lists one line of text.
     */
    public static Map<Group, Map<String, String>> groups(Map<String, ?> provenance) {
        Map<Group, Map<String, String>> out = new LinkedHashMap<>();
        for (Group g : Group.values()) {
            out.put(g, new LinkedHashMap<>());
        }
        if (provenance != null) {
            for (Map.Entry<String, ?> e : provenance.entrySet()) {
                flatten(e.getKey(), e.getValue(), out.get(groupOf(e.getKey())));
            }
        }
        out.values().removeIf(Map::isEmpty);
        return out;
    }

    /**
     * The groups as markup: one {@code <details>} per group, its summary naming the group and how many
     * entries it holds (the environment's also the version, JDK and backend, so the common question needs no
     * click).
     */
    public static String html(Map<String, ?> provenance) {
        Map<Group, Map<String, String>> groups = groups(provenance);
        if (groups.isEmpty()) {
            return "<p class=\"muted\">No provenance recorded.</p>\n";
        }
        StringBuilder h = new StringBuilder();
        for (Map.Entry<Group, Map<String, String>> g : groups.entrySet()) {
            Table t = new Table();
            g.getValue().forEach(t::keyValue);
            String note = "(" + g.getValue().size() + (g.getValue().size() == 1 ? " entry" : " entries")
                    + (g.getKey() == Group.ENVIRONMENT ? gist(g.getValue()) : "") + ")";
            h.append(HtmlPage.details(g.getKey().title(), note, t.toHtml(), false));
        }
        return h.toString();
    }

    private static String gist(Map<String, String> env) {
        List<String> parts = new ArrayList<>();
        if (env.containsKey("loes4jVersion")) {
            parts.add("loes4j " + env.get("loes4jVersion"));
        }
        if (env.containsKey("jdk")) {
            parts.add("JDK " + env.get("jdk"));
        }
        if (env.containsKey("backend")) {
            parts.add(env.get("backend") + " backend");
        }
        if (env.containsKey("threads")) {
            parts.add(env.get("threads") + " threads");
        }
        return parts.isEmpty() ? "" : ": " + String.join(", ", parts);
    }

    /** Nested maps become dotted keys; an empty map adds nothing (e.g. timings a command did not record). */
    private static void flatten(String key, Object v, Map<String, String> out) {
        if (v instanceof Map<?, ?> sub) {
            for (Map.Entry<?, ?> e : sub.entrySet()) {
                flatten(key + "." + e.getKey(), e.getValue(), out);
            }
        } else {
            out.put(key, text(v));
        }
    }

    /** One value as text: numbers as written, arrays and lists as {@code [a, b]}, nested maps as {@code {k=v}}. */
    static String text(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Double d) {
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.format(Locale.ROOT, "%.1f", d) : d.toString();
        }
        if (v.getClass().isArray()) {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < Array.getLength(v); i++) {
                parts.add(text(Array.get(v, i)));
            }
            return "[" + String.join(", ", parts) + "]";
        }
        if (v instanceof List<?> list) {
            List<String> parts = new ArrayList<>();
            for (Object o : list) {
                parts.add(text(o));
            }
            return "[" + String.join(", ", parts) + "]";
        }
        return String.valueOf(v);
    }
}
