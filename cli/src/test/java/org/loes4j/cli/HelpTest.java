package org.loes4j.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** Every option of every command says what it is in --help, and an optional one says its default. */
class HelpTest {
    @Test
    void everyOptionIsDescribedWithItsDefault() {
        CommandLine root = new CommandLine(new Main());
        List<String> missing = new ArrayList<>();
        for (var e : root.getSubcommands().entrySet()) {
            for (OptionSpec o : e.getValue().getCommandSpec().options()) {
                if (o.usageHelp() || o.versionHelp()) {
                    continue;
                }
                String d = String.join(" ", o.description());
                String name = e.getKey() + " " + o.longestName();
                if (d.isBlank()) {
                    missing.add(name + ": no description");
                } else if (!o.required() && !d.toLowerCase(java.util.Locale.ROOT).contains("default")
                        && !o.typeInfo().isBoolean() && o.group() == null) {
                    missing.add(name + ": no default in '" + d + "'");
                }
            }
        }
        assertTrue(missing.isEmpty(), String.join("\n", missing));
    }
}
