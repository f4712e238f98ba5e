package org.loes4j.bench.e2e;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code --name value} options of a harness; every option must be one the harness knows. */
final class Args {
    private final Map<String, String> values = new LinkedHashMap<>();

    /**
     * @param args  {@code --name value} pairs
     * @param known the option names (without {@code --}) the harness accepts
     */
    Args(String[] args, List<String> known) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("args: expected --name value pairs, got '" + a + "' at position " + i);
            }
            String name = a.substring(2);
            if (!known.contains(name)) {
                throw new IllegalArgumentException("args: unknown option --" + name + " (known: " + known + ")");
            }
            values.put(name, args[++i]);
        }
    }

    String get(String name, String def) {
        return values.getOrDefault(name, def);
    }

    int getInt(String name, int def) {
        String v = get(name, null);
        if (v == null) {
            return def;
        }
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + ": '" + v + "' is not an integer");
        }
    }

    /** A comma-separated list of integers, e.g. {@code 1,2}. */
    int[] getInts(String name, int[] def) {
        String v = get(name, null);
        if (v == null) {
            return def.clone();
        }
        String[] parts = v.split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Integer.parseInt(parts[i].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + ": '" + v + "' is not a comma-separated list of integers");
            }
        }
        return out;
    }

    boolean has(String name) {
        return values.containsKey(name);
    }
}
