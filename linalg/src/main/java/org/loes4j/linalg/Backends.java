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
 *
 * <p><b>Self-check of native backends.</b> Before a backend that {@linkplain Backend#runsNativeCode() runs
 * native code} is chosen, its GEMM and Cholesky kernels are compared with the scalar reference on tiny seeded
 * inputs ({@link BackendSelfCheck}). With {@code auto}, a backend that disagrees or throws is passed over
 * for the next available one, with a WARNING naming the backend, the check and the error. A backend named
 * explicitly is checked too and a failure is a loud WARNING, but the choice is honoured: the user asked for
 * it (to debug it, or to compare), and {@code auto} is one flag away. A native backend further down the
 * chain is checked before it serves a kernel the chosen one lacks, and skipped if it fails. The vector and
 * scalar backends are never checked (pure Java, the same code the reference is). The result is in
 * {@link #selfCheck()}, in the INFO line, in {@link #chosenDetails()} (provenance) and in {@code loes doctor}.
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
    /** Self-check results by backend name: those run while choosing, and those asked for since. */
    private final Map<String, BackendSelfCheck> selfChecks = new ConcurrentHashMap<>();

    /**
     * Probes only what the choice needs: with {@code auto} the backends in priority order up to the first
     * available one, otherwise the named one. Lower-priority backends are probed when a kernel is missing
     * from everything above them or when {@link #chain()} is asked for, so a run on the vector backend does
     * not load LibTorch (about 0.3 s of dlopen) just to list it as a fallback it never uses.
     */
    private Backends(List<Backend> all, String requested) {
        this.all = List.copyOf(all); // already by descending priority
        this.requested = requested;
        Backend pick = null;
        if (requested.equals("auto")) {
            List<Backend> failed = new ArrayList<>();
            for (Backend b : this.all) {
                if (b.availability().available()) {
                    if (b.runsNativeCode() && selfCheck(b).failed()) {
                        failed.add(b);
                        continue;
                    }
                    pick = b;
                    break;
                }
            }
            if (pick == null) {
                throw new IllegalStateException("no linalg backend is available: " + describe(this.all));
            }
            String passedOver = "";
            for (Backend b : failed) {
                LOG.log(Level.WARNING, "loes4j: backend '" + b.name() + "' is available but FAILED its start-up "
                        + "self-check, so auto does not use it and falls back to '" + pick.name() + "': "
                        + selfChecks.get(b.name()).detail());
                passedOver += (passedOver.isEmpty() ? "; passed over after a failed self-check: " : ", ") + b.name();
            }
            why = "auto: highest-priority available backend" + passedOver;
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
            if (pick.runsNativeCode() && selfCheck(pick).failed()) {
                LOG.log(Level.WARNING, "loes4j: backend '" + pick.name() + "' FAILED its start-up self-check and "
                        + "its results may be WRONG; it is used anyway because it was requested with -D"
                        + BACKEND_PROPERTY + "=" + requested + " (--backend " + requested + "); use auto to fall "
                        + "back to the CPU path. The failed check: " + selfChecks.get(pick.name()).detail());
            }
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

    /** A chain over the given backends instead of the discovered ones (tests register fakes this way). */
    static Backends of(String name, List<Backend> backends) {
        List<Backend> sorted = new ArrayList<>(backends);
        sorted.sort(Comparator.comparingInt(Backend::priority).reversed());
        return new Backends(sorted, name.toLowerCase(Locale.ROOT));
    }

    void announce() {
        Backend c = chosen();
        Map<String, String> details = chosenDetails();
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

    /**
     * The chosen backend's {@link Backend#details()} plus {@code selfCheck}: its {@link #selfCheck()}
     * summary. What provenance records as the backend's details. A new mutable map.
     */
    public Map<String, String> chosenDetails() {
        Map<String, String> m = new LinkedHashMap<>(chosen.details());
        m.put("selfCheck", selfCheck().summary());
        return m;
    }

    /** The self-check of the chosen backend: passed, failed (and used because requested), or not run. */
    public BackendSelfCheck selfCheck() {
        return selfCheck(chosen);
    }

    /**
     * The self-check of {@code backend}, run on first request for this chain and remembered: not run for a
     * pure-Java or an unavailable backend. {@code loes doctor} asks for every backend, so it checks native
     * backends that were not chosen too.
     */
    public BackendSelfCheck selfCheck(Backend backend) {
        if (!backend.runsNativeCode()) {
            return BackendSelfCheck.notRun("pure Java, no native code to check");
        }
        if (!backend.availability().available()) {
            return BackendSelfCheck.notRun("unavailable");
        }
        return selfChecks.computeIfAbsent(backend.name(), n -> BackendSelfCheck.run(backend));
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
                    if (candidate != null && b.runsNativeCode() && selfCheck(b).failed()) {
                        LOG.log(Level.WARNING, "loes4j: " + type.getSimpleName() + " is not taken from backend '"
                                + b.name() + "', which FAILED its start-up self-check, but from the next one: "
                                + selfCheck(b).detail());
                        candidate = null;
                    }
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
