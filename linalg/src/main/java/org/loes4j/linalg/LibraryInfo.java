package org.loes4j.linalg;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import org.loes4j.linalg.concurrent.LinalgExecutor;

/**
 * Where a number came from: library version, JDK, OS, backend and threads. Every result loes4j writes
 * carries {@link #environment()}.
 */
public final class LibraryInfo {
    private static final String VERSION = readVersion();

    private LibraryInfo() {
    }

    private static String readVersion() {
        try (InputStream in = LibraryInfo.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The loes4j version, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String version() {
        return VERSION;
    }

    /** The JDK as {@code "25.0.3+9-LTS (Eclipse Adoptium)"}. */
    public static String jdk() {
        return System.getProperty("java.runtime.version", System.getProperty("java.version")) + " ("
                + System.getProperty("java.vendor") + ")";
    }

    /** {@code "Linux 6.1 amd64"}. */
    public static String os() {
        return System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch");
    }

    /** Version, JDK, OS, backend (with its details and self-check) and thread count of this process. */
    public static Map<String, String> environment() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("loes4jVersion", version());
        m.put("jdk", jdk());
        m.put("os", os());
        Backends b = Linalg.get().backends();
        m.put("backend", b.chosen().name());
        b.chosenDetails().forEach((k, v) -> m.put("backend." + k, v));
        m.put("threads", Integer.toString(LinalgExecutor.threads()));
        return m;
    }
}
