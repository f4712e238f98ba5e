package org.loes4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Keeps the module graph of STYLE.md real: {@code cli -> {encoders, selection, training} -> data -> linalg <-
 * native-bindings}, bench and spark on top of everything (and Spark in spark only), and no third-party
 * runtime dependency in the core modules (linalg, data, selection, training); and one data vocabulary: the
 * embeddings, labels, task and provenance types exist once, in {@code data}.
 */
class ArchitectureTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    /** For every module, the loes4j modules it may require. */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "linalg", Set.of(),
            "data", Set.of("org.loes4j.linalg"),
            "native-bindings", Set.of("org.loes4j.linalg"),
            "encoders", Set.of("org.loes4j.linalg", "org.loes4j.data"),
            "selection", Set.of("org.loes4j.linalg", "org.loes4j.data"),
            "training", Set.of("org.loes4j.linalg", "org.loes4j.data"),
            "cli", Set.of("org.loes4j.linalg", "org.loes4j.data", "org.loes4j.nativebindings", "org.loes4j.encoders",
                    "org.loes4j.selection", "org.loes4j.training"),
            "bench", Set.of("org.loes4j.linalg", "org.loes4j.data", "org.loes4j.nativebindings", "org.loes4j.encoders",
                    "org.loes4j.selection", "org.loes4j.training"),
            "spark", Set.of("org.loes4j.linalg", "org.loes4j.data", "org.loes4j.nativebindings", "org.loes4j.encoders",
                    "org.loes4j.selection", "org.loes4j.training"));

    private static final Pattern REQUIRES = Pattern.compile("requires\\s+(?:static\\s+|transitive\\s+)*([\\w.]+)\\s*;");

    private static Set<String> requires(String module) throws IOException {
        String text = Files.readString(ROOT.resolve(module).resolve("src/main/java/module-info.java"));
        Set<String> out = new TreeSet<>();
        Matcher m = REQUIRES.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /**
     * Modules that run on the class path only, without a module-info (and may use every other module): bench,
     * because EJML's jars are automatic modules that split packages ({@code org.ejml.dense.row} in several
     * jars), which no module graph accepts (see bench/pom.xml); spark, because Spark is no named module and
     * runs on the class path of its driver and executors.
     */
    private static final Set<String> CLASS_PATH_ONLY = Set.of("bench", "spark");

    /** Reactor modules without Java code: the BOM users import. */
    private static final Set<String> POM_ONLY = Set.of("bom");

    @Test
    void everyModuleHasAModuleInfo() {
        for (String module : ALLOWED.keySet()) {
            if (CLASS_PATH_ONLY.contains(module)) {
                assertTrue(!Files.exists(ROOT.resolve(module).resolve("src/main/java/module-info.java")));
                continue;
            }
            assertTrue(Files.isRegularFile(ROOT.resolve(module).resolve("src/main/java/module-info.java")),
                    module + " lacks module-info.java");
        }
    }

    @Test
    void dependenciesFlowOneWay() throws IOException {
        for (var e : ALLOWED.entrySet()) {
            if (CLASS_PATH_ONLY.contains(e.getKey())) {
                continue;
            }
            Set<String> ours = new TreeSet<>();
            for (String r : requires(e.getKey())) {
                if (r.startsWith("org.loes4j.")) {
                    ours.add(r);
                }
            }
            assertTrue(e.getValue().containsAll(ours), e.getKey() + " requires " + ours + ", allowed " + e.getValue());
        }
        assertTrue(requires("linalg").contains("jdk.incubator.vector"));
    }

    @Test
    void coreModulesHaveNoThirdPartyRuntimeDependencies() throws IOException {
        for (String module : new String[] {"linalg", "data", "selection", "training"}) {
            for (String r : requires(module)) {
                assertTrue(r.startsWith("org.loes4j.") || r.startsWith("java.") || r.startsWith("jdk."),
                        module + " requires third-party module " + r);
            }
            String pom = Files.readString(ROOT.resolve(module).resolve("pom.xml"));
            Matcher m = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL).matcher(pom);
            while (m.find()) {
                String dep = m.group(1);
                boolean ours = dep.contains("<groupId>org.loes4j</groupId>");
                boolean testOnly = dep.contains("<scope>test</scope>");
                assertTrue(ours || testOnly, module + "/pom.xml has a third-party runtime dependency: " + dep.trim());
            }
        }
    }

    /** Spark (hundreds of megabytes of dependencies) stays in the spark module: no other pom or source names it. */
    @Test
    void onlyTheSparkModuleUsesSpark() throws IOException {
        for (String module : ALLOWED.keySet()) {
            if (module.equals("spark")) {
                continue;
            }
            String pom = Files.readString(ROOT.resolve(module).resolve("pom.xml"));
            assertTrue(!pom.contains("org.apache.spark"), module + "/pom.xml names org.apache.spark");
            Path src = ROOT.resolve(module).resolve("src/main/java");
            try (var files = Files.walk(src)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    assertTrue(!Files.readString(f).contains("org.apache.spark"),
                            ROOT.relativize(f) + " uses org.apache.spark");
                }
            }
        }
    }

    @Test
    void theRootPomListsEveryModule() throws IOException {
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        Set<String> modules = new TreeSet<>(ALLOWED.keySet());
        modules.addAll(POM_ONLY);
        for (String module : modules) {
            assertTrue(pom.contains("<module>" + module + "</module>"), "root pom lacks " + module);
        }
        assertEquals(modules.size(), Pattern.compile("<module>").matcher(pom).results().count());
    }

    /** Types that must exist once, in org.loes4j.data, and nowhere else in the main sources. */
    private static final Set<String> VOCABULARY = Set.of("Task", "Targets", "Labels", "Embeddings", "LayerStack",
            "LayeredEmbeddings", "PooledHiddenStates", "Provenance");
    private static final Pattern TYPE_DECLARATION = Pattern.compile(
            "^\\s*(?:public\\s+|private\\s+|protected\\s+|final\\s+|abstract\\s+|sealed\\s+|static\\s+)*(?:class|interface|enum|record)\\s+(\\w+)",
            Pattern.MULTILINE);

    @Test
    void theDataVocabularyExistsOnce() throws IOException {
        for (String module : ALLOWED.keySet()) {
            Path src = ROOT.resolve(module).resolve("src/main/java");
            if (module.equals("data") || !Files.isDirectory(src)) {
                continue;
            }
            try (var files = Files.walk(src)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    Matcher m = TYPE_DECLARATION.matcher(Files.readString(f));
                    while (m.find()) {
                        assertTrue(!VOCABULARY.contains(m.group(1)), ROOT.relativize(f) + " declares " + m.group(1)
                                + ": the data vocabulary lives in the data module only");
                    }
                }
            }
        }
    }
}
