package org.loes4j.linalg;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

import org.loes4j.linalg.concurrent.LinalgExecutor;
import org.loes4j.linalg.spi.Availability;
import org.loes4j.linalg.spi.Backend;
import org.loes4j.linalg.spi.Kernel;

/**
 * Discovers backends with {@link ServiceLoader} and builds the chain kernels are taken from: the chosen
 * backend first, then every other available backend by descending priority. The choice is made once per
 * process from {@code -Dloes4j.backend=auto|NAME} (the CLI's {@code --backend}); {@code auto} takes the
 * available backend of highest priority. The choice is announced in one INFO log line.
 */
public final class Backends {
    /** System property naming the backend; {@code auto} (default) picks by availability and priority. */
    public static final String BACKEND_PROPERTY = "loes4j.backend";

    private static final System.Logger LOG = System.getLogger("org.loes4j.linalg");
    private static volatile Backends process;

    private final List<Backend> all;
    private final Backend chosen;
    /** The full chain, probed on first request (probing may load a native library). */
    private volatile List<Backend> chain;
    private final String requested;
    private final String why;
    private final Map<Class<?>, Object> kernels = new ConcurrentHashMap<>();
    private final Map<Class<?>, String> kernelOwners = new ConcurrentHashMap<>();

    /**
     * Probes only what the choice needs: with {@code auto} the backends in priority order up to the first
     * available one, otherwise the named one. Lower-priority backends are probed when a kernel is missing
     * from everything above them or when {@link #chain()} is asked for, so a run on the vector backend does
     * not load LibTorch (about 0.3 s of dlopen) just to list it as a fallback it never uses.
     */
    private Backends(List<Backend> all, String requested) {
        this.all = List.copyOf(all); // from discover(): already by descending priority
        this.requested = requested;
        Backend pick = null;
        if (requested.equals("auto")) {
            for (Backend b : this.all) {
                if (b.availability().available()) {
                    pick = b;
                    break;
                }
            }
            if (pick == null) {
                throw new IllegalStateException("no linalg backend is available: " + describe(this.all));
            }
            why = "auto: highest-priority available backend";
        } else {
            for (Backend b : this.all) {
                if (b.name().equals(requested)) {
                    pick = b;
                }
            }
            if (pick == null) {
                throw new IllegalArgumentException(BACKEND_PROPERTY + ": unknown backend '" + requested
                        + "'; known: auto, " + String.join(", ", this.all.stream().map(Backend::name).toList()));
            }
            if (!pick.availability().available()) {
                throw new IllegalStateException(BACKEND_PROPERTY + ": backend '" + requested
                        + "' is not available: " + pick.availability().reason());
            }
            why = "requested with -D" + BACKEND_PROPERTY + "=" + requested;
        }
        this.chosen = pick;
    }

    private static String describe(List<Backend> all) {
        StringBuilder sb = new StringBuilder();
        for (Backend b : all) {
            sb.append(b.name()).append(" (").append(b.availability().reason()).append(") ");
        }
        return sb.toString().trim();
    }

    /** Every backend found by the service loader, available or not. */
    public static List<Backend> discover() {
        List<Backend> found = new ArrayList<>();
        for (Backend b : ServiceLoader.load(Backend.class, Backends.class.getClassLoader())) {
            found.add(b);
        }
        found.sort(Comparator.comparingInt(Backend::priority).reversed());
        return found;
    }

    /** The process-wide chain, made (and announced) on first use. */
    public static Backends process() {
        Backends b = process;
        if (b == null) {
            synchronized (Backends.class) {
                b = process;
                if (b == null) {
                    String req = System.getProperty(BACKEND_PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
                    b = new Backends(discover(), req.isEmpty() ? "auto" : req);
                    b.announce();
                    process = b;
                }
            }
        }
        return b;
    }

    /** A chain that starts with the named backend ({@code auto} allowed), independent of the process one. */
    public static Backends of(String name) {
        return new Backends(discover(), name.toLowerCase(Locale.ROOT));
    }

    private void announce() {
        Backend c = chosen();
        Map<String, String> details = new LinkedHashMap<>(c.details());
        details.put("threads", Integer.toString(LinalgExecutor.threads()));
        // -Dloes4j.quiet=true: library users who log the choice themselves (doctor, provenance) drop the INFO line;
        // the warning about the slow path stays.
        LOG.log(Boolean.getBoolean("loes4j.quiet") ? Level.DEBUG : Level.INFO, "loes4j linalg backend: " + c.name()
                + " (" + why + "; " + c.availability().reason() + ") " + details);
        for (Backend b : all) {
            if (b.name().equals("vector") && !b.availability().available()) {
                LOG.log(Level.WARNING, "loes4j: the Vector API backend is NOT in use and every kernel runs on "
                        + "the slow scalar path: " + b.availability().reason());
            }
        }
    }

    /** The backend kernels are taken from first. */
    public Backend chosen() {
        return chosen;
    }

    /** Why {@link #chosen()} was chosen. */
    public String why() {
        return why;
    }

    /** What was asked for ({@code auto} or a name). */
    public String requested() {
        return requested;
    }

    /**
     * Available backends in the order kernels are looked up: the chosen one, then the other available ones
     * by descending priority. Probes every backend on first call.
     */
    public List<Backend> chain() {
        List<Backend> c = chain;
        if (c == null) {
            List<Backend> list = new ArrayList<>();
            list.add(chosen);
            for (Backend b : all) {
                if (b != chosen && b.availability().available()) {
                    list.add(b);
                }
            }
            c = List.copyOf(list);
            chain = c;
        }
        return c;
    }

    /** Every discovered backend, available or not. */
    public List<Backend> all() {
        return all;
    }

    /** The first implementation of {@code type} along the chain; the scalar backend has all of them. */
    public <K extends Kernel> K kernel(Class<K> type) {
        Object k = kernels.get(type);
        if (k == null) {
            K candidate = chosen.kernel(type);
            String owner = chosen.name();
            // Down the chain in the same order as chain(), probing a backend only when it is reached.
            for (int i = 0; candidate == null && i < all.size(); i++) {
                Backend b = all.get(i);
                if (b != chosen && b.availability().available()) {
                    candidate = b.kernel(type);
                    owner = b.name();
                }
            }
            if (candidate == null) {
                throw new IllegalStateException("no available backend provides " + type.getSimpleName()
                        + "; chain: " + chain().stream().map(Backend::name).toList());
            }
            kernels.putIfAbsent(type, candidate);
            kernelOwners.putIfAbsent(type, owner);
            k = kernels.get(type);
        }
        return type.cast(k);
    }

    /** Which backend serves each kernel type, for reports: e.g. {@code GemmKernel -> vector}. */
    public Map<String, String> kernelOwners(List<Class<? extends Kernel>> types) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Class<? extends Kernel> t : types) {
            kernel(t);
            out.put(t.getSimpleName(), kernelOwners.get(t));
        }
        return out;
    }

    /** A backend by name among those discovered, or null. */
    public Backend find(String name) {
        for (Backend b : all) {
            if (b.name().equals(name)) {
                return b;
            }
        }
        return null;
    }

    /** Availability of every backend, for {@code loes doctor}. */
    public Map<String, Availability> report() {
        Map<String, Availability> out = new LinkedHashMap<>();
        for (Backend b : all) {
            out.put(b.name(), b.availability());
        }
        return out;
    }
}
