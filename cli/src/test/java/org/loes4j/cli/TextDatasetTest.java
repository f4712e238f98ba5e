package org.loes4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TextDataset}'s CSV header: one meaning per column name, and the byte-order mark spreadsheets write. */
class TextDatasetTest {
    @TempDir
    Path dir;

    private Path csv(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }

    /** A column named twice was accepted, and --text-column silently took the last one. */
    @Test
    void aColumnNamedTwiceIsRefusedNamingIt() throws IOException {
        Path dup = csv("dup.csv", "text,label,text\nfirst,a,second\n");
        BadInputException e = assertThrows(BadInputException.class, () -> TextDataset.read(dup, "text", "label"));
        assertEquals(dup + ": header names column 'text' twice (columns 1 and 3); rename one, so that a column option "
                + "cannot mean either", e.getMessage());

        Path spaced = csv("spaced.csv", "text, label,label \nx,a,b\n");
        e = assertThrows(BadInputException.class, () -> TextDataset.read(spaced, "text", null));
        assertTrue(e.getMessage().contains("column 'label' twice (columns 2 and 3)"), e.getMessage());

        Path cased = csv("cased.csv", "text,Text\nlower,upper\n");
        assertEquals(List.of("lower"), TextDataset.read(cased, "text", null).texts(), "names are case-sensitive");
        assertEquals(List.of("upper"), TextDataset.read(cased, "Text", null).texts());
    }

    @Test
    void aByteOrderMarkBeforeTheHeaderIsSkipped() throws IOException {
        Path bom = csv("bom.csv", "\uFEFFtext,label\nhello,1\n");
        TextDataset d = TextDataset.read(bom, "text", "label");
        assertEquals(List.of("hello"), d.texts());
        assertEquals(1, d.classLabels()[0]);
    }
}
