package org.loes4j.nativebindings.torch;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.loes4j.linalg.concurrent.LinalgExecutor;
import org.loes4j.linalg.spi.Availability;
import org.loes4j.nativebindings.loading.LibraryCache;
import org.loes4j.nativebindings.torch.internal.AotiShim;

/**
 * Finds, extracts and loads LibTorch's {@code libtorch_cpu.so} once per process.
 *
 * <p>Where the libraries come from, first match wins:
 * <ol>
 *   <li>{@code -Dloes4j.torch.dir=DIR}: a directory that already holds {@code libtorch_cpu.so} and its
 *       neighbours (a LibTorch distribution's {@code lib/}); nothing is extracted;</li>
 *   <li>{@code -Dloes4j.torch.jar=FILE}: a DJL {@code pytorch-native-cpu} jar;</li>
 *   <li>that jar on the class path (found as a resource);</li>
 *   <li>that jar as a file on the class path, the module path, or in a directory listed by
 *       {@code -Dloes4j.native.path} (the launcher passes the CLI's {@code target/native});</li>
 *   <li>the local Maven repository, {@code ai/djl/pytorch/pytorch-native-cpu/2.7.1}.</li>
 * </ol>
 * A jar is extracted with {@link LibraryCache} into {@code <cache>/libtorch-VERSION-FLAVOR-PLATFORM}; the
 * libraries keep their names side by side because {@code libtorch_cpu.so} finds {@code libc10.so} and the
 * bundled {@code libgomp} through its {@code RUNPATH $ORIGIN}.
 */
final class TorchLibrary {
    /** The LibTorch version this module's bindings are written against (the shim of 2.7). */
    static final String EXPECTED_VERSION = "2.7.1";
    static final String MAIN_LIBRARY = "libtorch_cpu.so";
    private static final String JAR_PREFIX = "pytorch-native-cpu-";

    /** Facts about the loaded library. */
    record Loaded(Path dir, String version, String source, long abiVersion, int deviceCpu, int float32, int float64,
                  int threads) {
    }

    private static volatile Object state;

    private TorchLibrary() {
    }

    /** The loaded library, or null when it could not be loaded (see {@link #availability()}). */
    static Loaded loaded() {
        Object s = state();
        return s instanceof Loaded l ? l : null;
    }

    /** Whether LibTorch is usable here, and why not. Never throws. */
    static Availability availability() {
        Object s = state();
        if (s instanceof Loaded l) {
            return Availability.yes("LibTorch " + l.version() + " CPU from " + l.dir());
        }
        return (Availability) s;
    }

    private static Object state() {
        Object s = state;
        if (s == null) {
            synchronized (TorchLibrary.class) {
                s = state;
                if (s == null) {
                    try {
                        s = load();
                    } catch (Throwable t) {
                        s = Availability.no("LibTorch failed to load: " + t);
                    }
                    state = s;
                }
            }
        }
        return s;
    }

    private static Object load() throws IOException {
        String dirProperty = System.getProperty("loes4j.torch.dir");
        Path dir;
        String version;
        String source;
        if (dirProperty != null && !dirProperty.isBlank()) {
            dir = Path.of(dirProperty);
            if (!Files.isRegularFile(dir.resolve(MAIN_LIBRARY))) {
                return Availability.no("-Dloes4j.torch.dir=" + dirProperty + " has no " + MAIN_LIBRARY);
            }
            version = "(user directory)";
            source = "-Dloes4j.torch.dir";
        } else {
            String platform = LibraryCache.platform();
            if (!platform.equals("linux-x86_64")) {
                return Availability.no("no LibTorch CPU jar for " + platform + " is wired in; point "
                        + "-Dloes4j.torch.dir at a LibTorch lib/ directory");
            }
            List<String> searched = new ArrayList<>();
            Path jar = findJar(searched);
            if (jar == null) {
                return Availability.no("no LibTorch: ai.djl.pytorch:pytorch-native-cpu:" + EXPECTED_VERSION
                        + ":linux-x86_64 not found (searched " + String.join("; ", searched)
                        + "); add it to the class path or set -Dloes4j.torch.jar / -Dloes4j.torch.dir");
            }
            Properties p = jarProperties(jar);
            version = p.getProperty("version", "unknown");
            String flavor = p.getProperty("flavor", "cpu");
            String classifier = p.getProperty("classifier", platform);
            String libs = p.getProperty("libraries", "libc10.so,libgomp-98b21ff3.so.1,libtorch_cpu.so");
            List<String> entries = new ArrayList<>();
            for (String lib : libs.split(",")) {
                String name = lib.trim();
                if (!name.isEmpty()) {
                    entries.add("pytorch/" + flavor + "/" + classifier + "/" + name);
                }
            }
            if (!version.startsWith(EXPECTED_VERSION)) {
                return Availability.no(jar + " holds LibTorch " + version + "; these bindings need "
                        + EXPECTED_VERSION);
            }
            dir = LibraryCache.extract(jar, entries, LibraryCache.defaultRoot(),
                    "libtorch-" + version + "-" + flavor + "-" + classifier);
            source = jar.toString();
        }
        SymbolLookup lookup;
        try {
            lookup = SymbolLookup.libraryLookup(dir.resolve(MAIN_LIBRARY), Arena.global());
        } catch (IllegalArgumentException | IllegalCallerException e) {
            return Availability.no(MAIN_LIBRARY + " in " + dir + " failed to load: " + e.getMessage());
        }
        for (String symbol : AotiShim.descriptors().keySet()) {
            if (lookup.find(symbol).isEmpty()) {
                return Availability.no(dir.resolve(MAIN_LIBRARY) + " does not export " + symbol
                        + " (not a LibTorch 2.7-compatible build)");
            }
        }
        AotiShim.bind(lookup);
        int threads = LinalgExecutor.threads();
        AotiShim.at_set_num_threads(threads);
        return new Loaded(dir, version, source, AotiShim.aoti_torch_abi_version(), AotiShim.aoti_torch_device_type_cpu(),
                AotiShim.aoti_torch_dtype_float32(), AotiShim.aoti_torch_dtype_float64(), AotiShim.at_get_num_threads());
    }

    /** The DJL jar, searching in the documented order; every place looked at is added to {@code searched}. */
    static Path findJar(List<String> searched) {
        String explicit = System.getProperty("loes4j.torch.jar");
        if (explicit != null && !explicit.isBlank()) {
            searched.add("-Dloes4j.torch.jar=" + explicit);
            Path p = Path.of(explicit);
            return Files.isRegularFile(p) ? p : null;
        }
        searched.add("class path resource pytorch/cpu/linux-x86_64/" + MAIN_LIBRARY);
        Path fromResource = jarOfResource("pytorch/cpu/linux-x86_64/" + MAIN_LIBRARY);
        if (fromResource != null) {
            return fromResource;
        }
        for (String property : new String[] {"java.class.path", "jdk.module.path", "loes4j.native.path"}) {
            String value = System.getProperty(property);
            if (value == null || value.isBlank()) {
                continue;
            }
            searched.add(property);
            for (String entry : value.split(File.pathSeparator)) {
                Path found = jarIn(Path.of(entry));
                if (found != null) {
                    return found;
                }
            }
        }
        String repo = System.getProperty("maven.repo.local",
                Path.of(System.getProperty("user.home"), ".m2", "repository").toString());
        Path m2 = Path.of(repo, "ai", "djl", "pytorch", "pytorch-native-cpu", EXPECTED_VERSION,
                JAR_PREFIX + EXPECTED_VERSION + "-linux-x86_64.jar");
        searched.add(m2.toString());
        return Files.isRegularFile(m2) ? m2 : null;
    }

    private static Path jarIn(Path entry) {
        if (Files.isRegularFile(entry) && isTorchJar(entry)) {
            return entry;
        }
        if (Files.isDirectory(entry)) {
            try (Stream<Path> files = Files.list(entry)) {
                return files.filter(TorchLibrary::isTorchJar).sorted().findFirst().orElse(null);
            } catch (IOException e) {
                return null;
            }
        }
        return null;
    }

    private static boolean isTorchJar(Path p) {
        String name = p.getFileName().toString();
        return name.startsWith(JAR_PREFIX + EXPECTED_VERSION) && name.endsWith("-linux-x86_64.jar");
    }

    private static Path jarOfResource(String resource) {
        ClassLoader cl = TorchLibrary.class.getClassLoader();
        URL url = cl == null ? ClassLoader.getSystemResource(resource) : cl.getResource(resource);
        if (url == null || !url.getProtocol().equals("jar")) {
            return null;
        }
        try {
            JarURLConnection c = (JarURLConnection) url.openConnection();
            URL jarUrl = c.getJarFileURL();
            return jarUrl.getProtocol().equals("file") ? Path.of(jarUrl.toURI()) : null;
        } catch (IOException | URISyntaxException | ClassCastException e) {
            return null;
        }
    }

    private static Properties jarProperties(Path jar) throws IOException {
        Properties p = new Properties();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry e = zip.getEntry("native/lib/pytorch.properties");
            if (e != null) {
                try (InputStream in = zip.getInputStream(e)) {
                    p.load(in);
                }
            }
        }
        return p;
    }

    /** Facts for {@code loes doctor}. */
    static void describe(Map<String, String> out) {
        Loaded l = loaded();
        if (l == null) {
            return;
        }
        out.put("libtorch", l.version());
        out.put("device", "cpu");
        out.put("abiVersion", "0x" + Long.toHexString(l.abiVersion()));
        out.put("threads", Integer.toString(l.threads()));
        out.put("libraryDir", l.dir().toString());
        out.put("source", l.source());
    }
}
