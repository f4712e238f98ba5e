package org.loes4j.data;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.loes4j.linalg.Backends;
import org.loes4j.linalg.LibraryInfo;
import org.loes4j.linalg.Linalg;
import org.loes4j.linalg.concurrent.LinalgExecutor;

/**
 * Where a result came from, immutable and typed: the environment that computed it (library version, JDK,
 * OS, the backend of the {@link Linalg} actually used, thread count), the method, its seed and
 * hyper-parameters, the input digests, the timings per phase, and method-specific details.
 *
 * <p>{@link #toMap()} is the JSON form every loes4j output writes ({@code provenance} in a selection's JSON
 * and in a saved model's metadata); {@link #fromMap} reads it back. Every nested map and list is an
 * unmodifiable copy; arrays are turned into lists.
 *
 * @param environment     where it ran
 * @param method          what produced it ({@code "loes"}, {@code "train"}, a baseline's name, ...)
 * @param seed            the seed of every random choice, or null when nothing was random
 * @param hyperParameters the options that change results, by name
 * @param inputs          input names to "path sha256:..." digests
 * @param timingsMs       wall time per phase, in milliseconds, in the order measured
 * @param details         anything else the method records (sizes, routes, ...), by name
 */
public record Provenance(Environment environment, String method, Long seed, Map<String, Object> hyperParameters,
                         Map<String, String> inputs, Map<String, Double> timingsMs, Map<String, Object> details) {

    /**
     * The computing environment.
     *
     * @param version        loes4j version
     * @param jdk            runtime version and vendor
     * @param os             OS name, version and architecture
     * @param backend        name of the linalg backend that computed
     * @param backendDetails that backend's details (vector width, FMA, ..., and its start-up {@code selfCheck})
     * @param threads        threads of the library executor
     */
    public record Environment(String version, String jdk, String os, String backend, Map<String, String> backendDetails,
                              int threads) {
        public Environment {
            backendDetails = Collections.unmodifiableMap(new LinkedHashMap<>(backendDetails == null ? Map.of() : backendDetails));
        }

        /** The environment of this process computing through {@code linalg}. */
        public static Environment of(Linalg linalg) {
            Backends b = (linalg == null ? Linalg.get() : linalg).backends();
            return new Environment(LibraryInfo.version(), LibraryInfo.jdk(), LibraryInfo.os(), b.chosen().name(),
                    b.chosenDetails(), LinalgExecutor.threads());
        }
    }

    public Provenance {
        if (environment == null) {
            throw new IllegalArgumentException("environment: null");
        }
        if (method == null || method.isBlank()) {
            throw new IllegalArgumentException("method: empty");
        }
        hyperParameters = freezeMap(hyperParameters);
        inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs == null ? Map.of() : inputs));
        timingsMs = Collections.unmodifiableMap(new LinkedHashMap<>(timingsMs == null ? Map.of() : timingsMs));
        details = freezeMap(details);
    }

    /** A builder for {@code method} run through {@code linalg} (null: the process-wide one). */
    public static Builder builder(String method, Linalg linalg) {
        return new Builder(method, Environment.of(linalg));
    }

    /** This provenance with {@code inputs} added (after the existing ones). */
    public Provenance withInputs(Map<String, String> more) {
        Map<String, String> in = new LinkedHashMap<>(inputs);
        if (more != null) {
            in.putAll(more);
        }
        return new Provenance(environment, method, seed, hyperParameters, in, timingsMs, details);
    }

    /** This provenance with {@code more} timings added (after the existing ones; a phase given again is replaced). */
    public Provenance withTimings(Map<String, Double> more) {
        Map<String, Double> t = new LinkedHashMap<>(timingsMs);
        if (more != null) {
            t.putAll(more);
        }
        return new Provenance(environment, method, seed, hyperParameters, inputs, t, details);
    }

    /** This provenance with one more detail entry. */
    public Provenance withDetail(String key, Object value) {
        Map<String, Object> d = new LinkedHashMap<>(details);
        d.put(key, value);
        return new Provenance(environment, method, seed, hyperParameters, inputs, timingsMs, d);
    }

    /**
     * The JSON form: {@code loes4jVersion, jdk, os, backend, backend.<detail>..., threads, method, seed,
     * hyperParameters, <details...>, inputs, timings}.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("loes4jVersion", environment.version());
        m.put("jdk", environment.jdk());
        m.put("os", environment.os());
        m.put("backend", environment.backend());
        environment.backendDetails().forEach((k, v) -> m.put("backend." + k, v));
        m.put("threads", Integer.toString(environment.threads()));
        m.put("method", method);
        if (seed != null) {
            m.put("seed", seed);
        }
        if (!hyperParameters.isEmpty()) {
            m.put("hyperParameters", hyperParameters);
        }
        details.forEach(m::put);
        m.put("inputs", inputs);
        m.put("timings", timingsMs);
        return Collections.unmodifiableMap(m);
    }

    /** Reads the form {@link #toMap()} writes (parsed JSON); unknown keys become details. */
    public static Provenance fromMap(Map<String, Object> m) {
        if (m == null) {
            throw new IllegalArgumentException("provenance: null");
        }
        Map<String, String> backendDetails = new LinkedHashMap<>();
        Map<String, Object> details = new LinkedHashMap<>();
        Map<String, Object> hyper = Map.of();
        Map<String, String> inputs = new LinkedHashMap<>();
        Map<String, Double> timings = new LinkedHashMap<>();
        Long seed = null;
        for (Map.Entry<String, Object> e : m.entrySet()) {
            String k = e.getKey();
            Object v = e.getValue();
            switch (k) {
                case "loes4jVersion", "jdk", "os", "backend", "threads", "method" -> { }
                case "seed" -> seed = v instanceof Number n ? n.longValue() : v == null ? null : Long.parseLong(v.toString());
                case "hyperParameters" -> hyper = asMap(v);
                case "inputs" -> asMap(v).forEach((a, b) -> inputs.put(a, String.valueOf(b)));
                case "timings" -> asMap(v).forEach((a, b) -> timings.put(a, b instanceof Number n ? n.doubleValue() : Double.NaN));
                default -> {
                    if (k.startsWith("backend.")) {
                        backendDetails.put(k.substring("backend.".length()), String.valueOf(v));
                    } else {
                        details.put(k, v);
                    }
                }
            }
        }
        Environment env = new Environment(str(m, "loes4jVersion"), str(m, "jdk"), str(m, "os"), str(m, "backend"),
                backendDetails, m.get("threads") == null ? 0 : (int) Double.parseDouble(m.get("threads").toString()));
        String method = m.get("method") == null ? "unknown" : m.get("method").toString();
        return new Provenance(env, method, seed, hyper, inputs, timings, details);
    }

    private static String str(Map<String, Object> m, String k) {
        Object v = m.get(k);
        return v == null ? "unknown" : v.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object v) {
        return v instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    private static Map<String, Object> freezeMap(Map<String, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (m != null) {
            m.forEach((k, v) -> out.put(k, freeze(v)));
        }
        return Collections.unmodifiableMap(out);
    }

    /** Deep unmodifiable copy: maps keep their order, arrays and collections become lists. */
    static Object freeze(Object v) {
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, x) -> out.put(String.valueOf(k), freeze(x)));
            return Collections.unmodifiableMap(out);
        }
        if (v instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>(c.size());
            for (Object x : c) {
                out.add(freeze(x));
            }
            return Collections.unmodifiableList(out);
        }
        if (v != null && v.getClass().isArray()) {
            int n = Array.getLength(v);
            List<Object> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(freeze(Array.get(v, i)));
            }
            return Collections.unmodifiableList(out);
        }
        return v;
    }

    /** Collects a provenance step by step while a method runs; {@link #build()} freezes it. */
    public static final class Builder {
        private final String method;
        private final Environment environment;
        private Long seed;
        private final Map<String, Object> hyperParameters = new LinkedHashMap<>();
        private final Map<String, String> inputs = new LinkedHashMap<>();
        private final Map<String, Double> timings = new LinkedHashMap<>();
        private final Map<String, Object> details = new LinkedHashMap<>();

        private Builder(String method, Environment environment) {
            this.method = method;
            this.environment = environment;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder hyperParameters(Map<String, ?> values) {
            if (values != null) {
                hyperParameters.putAll(values);
            }
            return this;
        }

        public Builder inputs(Map<String, String> digests) {
            if (digests != null) {
                inputs.putAll(digests);
            }
            return this;
        }

        /** Records the wall time of {@code phase} in milliseconds. */
        public Builder timing(String phase, double ms) {
            timings.put(phase, ms);
            return this;
        }

        /** Records the time since {@code startNanos} (a {@link System#nanoTime()}) for {@code phase}, to 0.01 ms. */
        public Builder timingSince(String phase, long startNanos) {
            return timing(phase, Math.round((System.nanoTime() - startNanos) / 1e4) / 100.0);
        }

        public Builder detail(String key, Object value) {
            details.put(key, value);
            return this;
        }

        public Provenance build() {
            return new Provenance(environment, method, seed, hyperParameters, inputs, timings, details);
        }
    }
}
