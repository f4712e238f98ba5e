package org.loes4j.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.loes4j.linalg.io.FileDigests;
import org.loes4j.linalg.io.Json;

/**
 * The texts (and optional labels) of {@code loes extract}, read from a CSV file with a header row
 * (RFC 4180: comma-separated, double-quoted fields may hold commas, quotes as {@code ""} and newlines;
 * column names are compared after stripping spaces, case-sensitively, and must be unique)
 * or a JSON-lines file (one object per line). The bytes must be UTF-8 (a byte-order mark at the start, as
 * spreadsheet programs write, is skipped); every problem is a
 * {@link BadInputException} naming the file, the row and what is wrong.
 *
 * <p>Labels: integers are kept as int64 classes; other numbers make a float64 target; anything else
 * (strings) is a class name, numbered in sorted order ({@link #labelClasses()}).
 *
 * @param texts        one text per row, in file order
 * @param classLabels  int64 labels, or null
 * @param valueLabels  float64 labels, or null
 * @param labelClasses class names for string labels (index = label id), else empty
 * @param sha256       digest of the input file's bytes
 */
record TextDataset(List<String> texts, long[] classLabels, double[] valueLabels, List<String> labelClasses,
                   String sha256) {

    static TextDataset read(Path file, String textColumn, String labelColumn) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(file + ": input file does not exist");
        }
        byte[] bytes = Files.readAllBytes(file);
        String text = decodeUtf8(file, bytes);
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1);
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        List<Map<String, Object>> rows;
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
            rows = readJsonLines(file, text);
        } else if (name.endsWith(".csv")) {
            rows = readCsv(file, text);
        } else {
            throw new BadInputException(file + ": unknown input format (use a .csv or .jsonl file)");
        }
        if (rows.isEmpty()) {
            throw new BadInputException(file + ": no rows");
        }
        List<String> texts = new ArrayList<>(rows.size());
        List<Object> labels = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> row = rows.get(i);
            Object t = column(file, row, textColumn, i);
            if (!(t instanceof String s) || s.isBlank()) {
                throw new BadInputException(file + ": row " + (i + 1) + ": empty text in column '" + textColumn + "'");
            }
            texts.add(s);
            if (labelColumn != null) {
                Object l = column(file, row, labelColumn, i);
                if (l == null || (l instanceof String ls && ls.isBlank())) {
                    throw new BadInputException(file + ": row " + (i + 1) + ": empty label in column '" + labelColumn + "'");
                }
                labels.add(l);
            }
        }
        String digest = FileDigests.sha256(bytes);
        if (labelColumn == null) {
            return new TextDataset(texts, null, null, List.of(), digest);
        }
        return withLabels(texts, labels, digest);
    }

    private static Object column(Path file, Map<String, Object> row, String column, int i) {
        if (!row.containsKey(column)) {
            throw new BadInputException(file + ": row " + (i + 1) + " has no column '" + column + "' (columns: "
                    + String.join(", ", row.keySet()) + ")");
        }
        return row.get(column);
    }

    private static TextDataset withLabels(List<String> texts, List<Object> raw, String digest) {
        boolean allIntegers = true;
        boolean allNumbers = true;
        long[] ints = new long[raw.size()];
        double[] values = new double[raw.size()];
        for (int i = 0; i < raw.size(); i++) {
            Object o = raw.get(i);
            String s = o instanceof String str ? str.strip() : String.valueOf(o);
            try {
                ints[i] = Long.parseLong(s);
                values[i] = ints[i];
                continue;
            } catch (NumberFormatException e) {
                allIntegers = false;
            }
            try {
                values[i] = Double.parseDouble(s);
                if (!Double.isFinite(values[i])) {
                    allNumbers = false;
                }
            } catch (NumberFormatException e) {
                allNumbers = false;
            }
        }
        if (allIntegers) {
            return new TextDataset(texts, ints, null, List.of(), digest);
        }
        if (allNumbers) {
            return new TextDataset(texts, null, values, List.of(), digest);
        }
        TreeSet<String> names = new TreeSet<>();
        for (Object o : raw) {
            names.add(String.valueOf(o).strip());
        }
        List<String> classes = List.copyOf(names);
        long[] ids = new long[raw.size()];
        for (int i = 0; i < raw.size(); i++) {
            ids[i] = classes.indexOf(String.valueOf(raw.get(i)).strip());
        }
        return new TextDataset(texts, ids, null, classes, digest);
    }

    /** Strict UTF-8: malformed bytes are reported with their line and byte offset. */
    private static String decodeUtf8(Path file, byte[] bytes) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult r = d.decode(in, out, true);
        if (r.isError()) {
            int offset = in.position();
            int line = 1;
            for (int i = 0; i < offset; i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw new BadInputException(file + ": line " + line + ": bytes at offset " + offset
                    + " are not valid UTF-8");
        }
        d.flush(out);
        out.flip();
        return out.toString();
    }

    private static List<Map<String, Object>> readJsonLines(Path file, String text) {
        List<Map<String, Object>> rows = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            try {
                rows.add(Json.parseObject(line));
            } catch (IllegalArgumentException e) {
                throw new BadInputException(file + ": line " + (i + 1) + ": " + e.getMessage());
            }
        }
        return rows;
    }

    private static List<Map<String, Object>> readCsv(Path file, String text) {
        List<List<String>> records = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean fieldStarted = false;
        int line = 1;
        int quoteLine = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
            } else if (c == '"' && field.isEmpty()) {
                quoted = true;
                fieldStarted = true;
                quoteLine = line;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                fieldStarted = true;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                if (fieldStarted || !field.isEmpty() || !fields.isEmpty()) {
                    fields.add(field.toString());
                    records.add(fields);
                }
                fields = new ArrayList<>();
                field.setLength(0);
                fieldStarted = false;
                line++;
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new BadInputException(file + ": line " + quoteLine + ": quoted field is never closed");
        }
        if (fieldStarted || !field.isEmpty() || !fields.isEmpty()) {
            fields.add(field.toString());
            records.add(fields);
        }
        if (records.isEmpty()) {
            throw new BadInputException(file + ": empty CSV (a header row is required)");
        }
        List<String> header = new ArrayList<>();
        for (String name : records.getFirst()) {
            String column = name.strip();
            int first = header.indexOf(column);
            if (first >= 0) {
                throw new BadInputException(file + ": header names column '" + column + "' twice (columns " + (first + 1)
                        + " and " + (header.size() + 1) + "); rename one, so that a column option cannot mean either");
            }
            header.add(column);
        }
        List<Map<String, Object>> rows = new ArrayList<>(records.size() - 1);
        for (int r = 1; r < records.size(); r++) {
            List<String> rec = records.get(r);
            if (rec.size() != header.size()) {
                throw new BadInputException(file + ": record " + (r + 1) + " has " + rec.size() + " fields, the header has "
                        + header.size());
            }
            Map<String, Object> row = new java.util.LinkedHashMap<>();
            for (int j = 0; j < header.size(); j++) {
                row.put(header.get(j), rec.get(j));
            }
            rows.add(row);
        }
        return rows;
    }
}
