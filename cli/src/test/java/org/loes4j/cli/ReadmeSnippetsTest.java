package org.loes4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The README's Java snippets are the code of {@code examples/}, which CI compiles and runs against the
 * installed artifacts: every {@code <!-- snippet: PATH#NAME -->} line in README.md must be followed by a
 * fenced code block equal, line for line, to the region between {@code // snippet:start NAME} and
 * {@code // snippet:end NAME} in PATH (common indentation removed). Edit the example, then copy the region.
 */
class ReadmeSnippetsTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Pattern MARKER = Pattern.compile("<!-- snippet: ([^#\\s]+)#(\\S+) -->");

    @Test
    void everyReadmeSnippetIsTheExampleCode() throws IOException {
        List<String> readme = Files.readAllLines(ROOT.resolve("README.md"));
        int checked = 0;
        for (int i = 0; i < readme.size(); i++) {
            if (readme.get(i).startsWith("```java")) {
                assertTrue(i > 0 && MARKER.matcher(readme.get(i - 1)).find(), "README line " + (i + 1)
                        + ": a Java block without a snippet marker (hand-written Java is not checked by CI)");
            }
            Matcher m = MARKER.matcher(readme.get(i));
            if (!m.find()) {
                continue;
            }
            Path source = ROOT.resolve(m.group(1));
            assertTrue(Files.isRegularFile(source), "README line " + (i + 1) + ": " + source + " does not exist");
            List<String> want = region(Files.readAllLines(source), m.group(2), source);
            assertTrue(i + 1 < readme.size() && readme.get(i + 1).startsWith("```"),
                    "README line " + (i + 2) + ": a fenced code block must follow the snippet marker");
            List<String> got = new ArrayList<>();
            int j = i + 2;
            while (j < readme.size() && !readme.get(j).startsWith("```")) {
                got.add(readme.get(j));
                j++;
            }
            assertEquals(String.join("\n", want), String.join("\n", got),
                    "README line " + (i + 3) + " differs from " + m.group(1) + "#" + m.group(2));
            checked++;
        }
        assertTrue(checked >= 3, "README.md shows the examples' code (found " + checked + " snippets)");
    }

    /** The lines between the start and end markers of {@code name}, with their common indentation removed. */
    static List<String> region(List<String> lines, String name, Path source) {
        int start = -1;
        int end = -1;
        for (int i = 0; i < lines.size(); i++) {
            String s = lines.get(i).strip();
            if (s.equals("// snippet:start " + name)) {
                start = i;
            } else if (s.equals("// snippet:end " + name)) {
                end = i;
            }
        }
        assertTrue(start >= 0 && end > start, source + ": no region '" + name + "'");
        List<String> body = lines.subList(start + 1, end);
        int indent = Integer.MAX_VALUE;
        for (String s : body) {
            if (!s.isBlank()) {
                indent = Math.min(indent, s.length() - s.stripLeading().length());
            }
        }
        List<String> out = new ArrayList<>();
        for (String s : body) {
            out.add(s.isBlank() ? "" : s.substring(indent));
        }
        return out;
    }
}
