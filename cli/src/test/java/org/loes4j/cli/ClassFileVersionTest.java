package org.loes4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The library modules are compiled for JDK 22 (the parent pom's {@code loes4j.library.release}) so that
 * applications on 22+ can depend on them; the CLI is an application and may use JDK 25. Checks the
 * class-file major version (bytes 6-7) of every class of every library module, in the jar or classes
 * directory that is on this test's class path: the reactor's fresh build under {@code mvn verify}, the
 * local repository's copy when cli is built alone. Each module is found through its
 * {@code module-info.class}, so a new library module is one more name in {@link #LIBRARY_MODULES}.
 */
class ClassFileVersionTest {
    /** Every library module (Java module names). */
    static final List<String> LIBRARY_MODULES = List.of(
            "org.loes4j.linalg",
            "org.loes4j.data",
            "org.loes4j.nativebindings",
            "org.loes4j.encoders",
            "org.loes4j.selection",
            "org.loes4j.training");

    private static final int JAVA_22 = 66;
    private static final int JAVA_25 = 69;
    private static final int CLASS_MAGIC = 0xCAFEBABE;

    @Test
    void everyLibraryClassTargetsJava22() throws Exception {
        Map<String, URL> found = moduleInfosOnClassPath();
        for (String module : LIBRARY_MODULES) {
            assertEveryClass(module, found, JAVA_22);
        }
    }

    @Test
    void theCliTargetsJava25() throws Exception {
        assertEveryClass("org.loes4j.cli", moduleInfosOnClassPath(), JAVA_25);
    }

    private static void assertEveryClass(String module, Map<String, URL> found, int major) throws Exception {
        URL moduleInfo = found.get(module);
        assertNotNull(moduleInfo, module + " is not on the test class path (modules found: " + found.keySet() + ")");
        List<String> wrong = new ArrayList<>();
        int classes;
        if ("jar".equals(moduleInfo.getProtocol())) {
            Path jar = Path.of(((JarURLConnection) moduleInfo.openConnection()).getJarFileURL().toURI());
            try (FileSystem fs = FileSystems.newFileSystem(jar)) {
                classes = check(fs.getPath("/"), major, wrong);
            }
        } else {
            classes = check(Path.of(moduleInfo.toURI()).getParent(), major, wrong);
        }
        assertTrue(classes > 1, module + " at " + moduleInfo + ": only " + classes + " class file(s)");
        assertEquals(List.of(), wrong.subList(0, Math.min(10, wrong.size())),
                module + " at " + moduleInfo + ": " + wrong.size() + " of " + classes
                        + " class files are not major version " + major);
    }

    /** Counts the class files under {@code root}; adds "path: major" to {@code wrong} for each not of {@code major}. */
    private static int check(Path root, int major, List<String> wrong) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(p -> p.toString().endsWith(".class") && Files.isRegularFile(p)).sorted().toList();
        }
        for (Path f : files) {
            byte[] head;
            try (InputStream in = Files.newInputStream(f)) {
                head = in.readNBytes(8);
            }
            int magic = ((head[0] & 0xff) << 24) | ((head[1] & 0xff) << 16) | ((head[2] & 0xff) << 8) | (head[3] & 0xff);
            assertEquals(CLASS_MAGIC, magic, f + " is not a class file");
            int actual = ((head[6] & 0xff) << 8) | (head[7] & 0xff);
            if (actual != major) {
                wrong.add(root.relativize(f) + ": " + actual);
            }
        }
        return files.size();
    }

    /** Module name to the URL of its module-info.class, for every module-info.class at a class path root. */
    private static Map<String, URL> moduleInfosOnClassPath() throws IOException {
        Map<String, URL> out = new TreeMap<>();
        Enumeration<URL> urls = ClassFileVersionTest.class.getClassLoader().getResources("module-info.class");
        while (urls.hasMoreElements()) {
            URL url = urls.nextElement();
            try (InputStream in = url.openStream()) {
                out.putIfAbsent(ModuleDescriptor.read(in).name(), url);
            }
        }
        return out;
    }
}
