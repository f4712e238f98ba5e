package org.loes4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.foreign.MemorySegment;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import org.loes4j.data.EmbeddingFiles;
import org.loes4j.data.Labels;
import org.loes4j.data.Provenance;
import org.loes4j.data.Task;
import org.loes4j.linalg.Precision;
import org.loes4j.linalg.SegmentMatrix;
import org.loes4j.linalg.io.AtomicFile;
import org.loes4j.linalg.io.Json;
import org.loes4j.linalg.io.Npy;
import org.loes4j.linalg.io.NpyArray;
import org.loes4j.linalg.io.NpyDType;
import org.loes4j.linalg.io.NpyWriter;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code loes split}: divides embeddings (typically an {@code extract} output) into train, validation and test
 * directories, each with {@code embeddings.npy} (or a directory of per-layer files for layers of different
 * widths), {@code labels.npy} or {@code labels.txt} in the input's own format, and extract's {@code meta.json}
 * with a {@code split} section added. Rows are stratified by class (classification labels), grouped by a column
 * of extract's input (no group on two sides), or drawn plainly; always seeded. The output directory appears
 * whole or not at all, and {@code split.json} beside the parts lists every part's rows and the provenance.
 */
@Command(name = "split", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Split embeddings and labels into train, validation and test (stratified or grouped, seeded).")
final class SplitCommand implements Runnable {
    private static final String[] PARTS = {"train", "validation", "test"};

    @Spec
    CommandSpec spec;

    @Option(names = "--embeddings", required = true, paramLabel = "E",
            description = "Embeddings: (N, L, d) .npy, a directory of per-layer .npy files or a .safetensors file.")
    Path embeddings;

    @Option(names = "--labels", paramLabel = "Y",
            description = "Labels, one per row (.npy or text); copied per part (default: none).")
    Path labels;

    @Option(names = "--task", defaultValue = "classification", paramLabel = "T",
            description = "classification (stratify by class) or regression (default: ${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--fractions", defaultValue = "0.8,0.1,0.1", paramLabel = "TR,VA,TE",
            description = "Shares of train, validation and test, summing to 1 (default: ${DEFAULT-VALUE}).")
    String fractions;

    @Option(names = "--group-column", paramLabel = "NAME",
            description = "Keep rows with the same value of this column of extract's input (the CSV or JSONL that "
                    + "meta.json names) on one side (default: none; stratified by class instead).")
    String groupColumn;

    @Option(names = "--input", paramLabel = "FILE",
            description = "The input file extract read, for --group-column (default: the one meta.json names).")
    Path input;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "New directory for train/, validation/, test/ and split.json; must not exist or be empty.")
    Path out;

    @Override
    public void run() {
        double[] share = parseFractions(fractions);
        Task t = CommandInputs.task("--task", task, false);
        PrintWriter stdout = spec.commandLine().getOut();
        try (CommandInputs in = CommandInputs.open("--embeddings", embeddings)) {
            EmbeddingFiles e = in.embeddings();
            checkOutDir(in);
            int n = e.rows();
            Labels y = labels == null ? null : in.labels("--labels", labels, t);
            List<String> groups = groupColumn == null ? null : groups(in, n);
            String mode = groups != null ? "grouped by '" + groupColumn + "'"
                    : y != null && y.isClassification() ? "stratified by class" : "random";
            int[][] parts = groups != null ? SplitRows.grouped(groups, share, seed)
                    : y != null && y.isClassification() ? SplitRows.stratified(y.codes(), share, seed)
                    : SplitRows.random(n, share, seed);
            for (int p = 0; p < PARTS.length; p++) {
                if (parts[p].length == 0 && share[p] > 0) {
                    throw new BadInputException("--fractions: the " + PARTS[p] + " part of " + n + " rows would be empty "
                            + "(" + mode + "); give it a larger share");
                }
            }
            Path staging = Files.createTempDirectory(out.toAbsolutePath().getParent(), "." + out.getFileName() + ".");
            boolean published = false;
            try {
                for (int p = 0; p < PARTS.length; p++) {
                    Path dir = Files.createDirectory(staging.resolve(PARTS[p]));
                    writeEmbeddings(e, parts[p], dir);
                    if (labels != null) {
                        writeLabels(labels, parts[p], dir);
                    }
                    writeMeta(in, dir, PARTS[p], parts[p].length, mode);
                }
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("mode", mode);
                doc.put("fractions", share);
                Map<String, Object> rows = new LinkedHashMap<>();
                for (int p = 0; p < PARTS.length; p++) {
                    rows.put(PARTS[p], parts[p]);
                }
                doc.put("rows", rows);
                Map<String, Object> hyper = new LinkedHashMap<>();
                hyper.put("fractions", share);
                hyper.put("mode", mode);
                doc.put("provenance", Provenance.builder("split", null).seed(seed).hyperParameters(hyper)
                        .inputs(in.digests()).build().toMap());
                AtomicFile.writeString(staging.resolve("split.json"), Json.writePretty(doc));
                if (Files.isDirectory(out)) {
                    Files.delete(out);
                }
                AtomicFile.publishDirectory(staging, out);
                published = true;
            } finally {
                if (!published) {
                    deleteRecursively(staging);
                }
            }
            stdout.printf(Locale.ROOT, "wrote %s: train %d, validation %d, test %d rows (%s, seed %d)%n", out,
                    parts[0].length, parts[1].length, parts[2].length, mode, seed);
            stdout.flush();
        } catch (IOException ex) {
            throw new BadInputException("--out: cannot write " + out + ": " + ex.getMessage(), ex);
        }
    }

    static double[] parseFractions(String spec) {
        String[] f = spec.split(",");
        if (f.length != 3) {
            throw new BadInputException("--fractions: '" + spec + "' must be three shares: train,validation,test");
        }
        double[] v = new double[3];
        double sum = 0;
        for (int i = 0; i < 3; i++) {
            try {
                v[i] = Double.parseDouble(f[i].strip());
            } catch (NumberFormatException e) {
                throw new BadInputException("--fractions: '" + f[i] + "' is not a number");
            }
            if (!(v[i] >= 0 && v[i] <= 1)) {
                throw new BadInputException("--fractions: " + v[i] + " is outside [0, 1]");
            }
            sum += v[i];
        }
        if (Math.abs(sum - 1) > 1e-9 || v[0] == 0) {
            throw new BadInputException("--fractions: '" + spec + "' must sum to 1 with a non-zero train share");
        }
        return v;
    }

    private void checkOutDir(CommandInputs in) throws IOException {
        if (Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isDirectory(out, LinkOption.NOFOLLOW_LINKS)) {
                throw new BadInputException("--out: " + out + " exists and is not a directory");
            }
            try (DirectoryStream<Path> s = Files.newDirectoryStream(out)) {
                if (s.iterator().hasNext()) {
                    throw new BadInputException("--out: " + out + " is not empty; split writes a new directory");
                }
            }
        }
        Path parent = out.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new BadInputException("--out: directory " + parent + " does not exist");
        }
    }

    /** The group of every row: the --group-column values of extract's input, which must have N rows. */
    private List<String> groups(CommandInputs in, int n) throws IOException {
        Path file = input;
        if (file == null) {
            Object named = in.meta().map(m -> m.inputFile()).orElse(null);
            if (named == null) {
                throw new BadInputException("--group-column: no meta.json beside " + embeddings + " names extract's input; "
                        + "give it with --input");
            }
            file = Path.of(named.toString());
        }
        if (!Files.isRegularFile(file)) {
            throw new BadInputException("--input: " + file + " does not exist");
        }
        List<String> g = TextDataset.read(file, groupColumn, null).texts();
        if (g.size() != n) {
            throw new BadInputException("--group-column: " + file + " has " + g.size() + " rows, " + embeddings + " has " + n);
        }
        return g;
    }

    /** (n, L, d) .npy for an (N, L, d) input; otherwise one (n, d_l) .npy per layer in {@code embeddings/}. */
    private static void writeEmbeddings(EmbeddingFiles e, int[] rows, Path dir) throws IOException {
        boolean whole = e.files().size() == 1 && e.files().containsKey("embeddings")
                && e.files().get("embeddings").getFileName().toString().endsWith(".npy");
        if (whole) {
            SegmentMatrix first = e.layerView(0);
            long rowBytes = first.stride() * first.precision().bytes();
            NpyDType dtype = first.precision() == Precision.FLOAT32 ? NpyDType.FLOAT32 : NpyDType.FLOAT64;
            try (NpyWriter w = Npy.create(dir.resolve("embeddings.npy"), dtype, rows.length, e.layerCount(), e.width(0))) {
                copyRows(first.segment(), first.byteOffset(), rowBytes, rowBytes, rows, w.data());
                w.commit();
            }
            return;
        }
        Path layers = Files.createDirectory(dir.resolve("embeddings"));
        for (int p = 0; p < e.layerCount(); p++) {
            SegmentMatrix m = e.layerView(p);
            long bytes = m.precision().bytes();
            NpyDType dtype = m.precision() == Precision.FLOAT32 ? NpyDType.FLOAT32 : NpyDType.FLOAT64;
            try (NpyWriter w = Npy.create(layers.resolve("layer_" + e.layerIndex(p) + ".npy"), dtype, rows.length,
                    m.cols())) {
                copyRows(m.segment(), m.byteOffset(), m.stride() * bytes, m.cols() * bytes, rows, w.data());
                w.commit();
            }
        }
    }

    private static void copyRows(MemorySegment src, long offset, long srcStride, long rowBytes, int[] rows,
                                 MemorySegment dst) {
        for (int i = 0; i < rows.length; i++) {
            MemorySegment.copy(src, offset + rows[i] * srcStride, dst, i * rowBytes, rowBytes);
        }
    }

    /** The labels of {@code rows}, in the input's format (same .npy dtype, or the same text lines). */
    private static void writeLabels(Path labels, int[] rows, Path dir) throws IOException {
        if (labels.getFileName().toString().endsWith(".npy")) {
            try (NpyArray a = Npy.map(labels)) {
                long per = a.size() / a.dim(0);
                long rowBytes = per * a.dtype().bytes();
                long[] shape = a.shape().clone();
                shape[0] = rows.length;
                try (NpyWriter w = Npy.create(dir.resolve("labels.npy"), a.dtype(), shape)) {
                    copyRows(a.data(), 0, rowBytes, rowBytes, rows, w.data());
                    w.commit();
                }
            }
            return;
        }
        List<String> lines = new ArrayList<>(Files.readAllLines(labels));
        while (!lines.isEmpty() && lines.getLast().isBlank()) {
            lines.removeLast();
        }
        StringBuilder sb = new StringBuilder();
        for (int r : rows) {
            sb.append(lines.get(r)).append('\n');
        }
        AtomicFile.writeString(dir.resolve("labels.txt"), sb);
    }

    /** extract's meta.json (if any) with a {@code split} section; a minimal one otherwise. */
    private void writeMeta(CommandInputs in, Path dir, String part, int rows, String mode) throws IOException {
        Map<String, Object> meta = new LinkedHashMap<>();
        if (in.meta().isPresent()) {
            meta.putAll(Json.parseObject(Files.readString(in.meta().get().file())));
        } else {
            meta.put("format", "loes4j-embeddings/1");
        }
        Map<String, Object> split = new LinkedHashMap<>();
        split.put("part", part);
        split.put("rows", rows);
        split.put("mode", mode);
        split.put("seed", seed);
        split.put("source", embeddings.toAbsolutePath().toString());
        meta.put("split", split);
        AtomicFile.writeString(dir.resolve("meta.json"), Json.writePretty(meta));
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** How rows are dealt to the three parts; every method is deterministic for a seed. */
    static final class SplitRows {
        private SplitRows() {
        }

        /** Each class's rows shuffled and cut by the shares (largest remainder), so every part keeps the class mix. */
        static int[][] stratified(int[] codes, double[] share, long seed) {
            Map<Integer, List<Integer>> byClass = new java.util.TreeMap<>();
            for (int i = 0; i < codes.length; i++) {
                byClass.computeIfAbsent(codes[i], k -> new ArrayList<>()).add(i);
            }
            List<List<Integer>> out = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            SplittableRandom rng = new SplittableRandom(seed);
            for (List<Integer> rows : byClass.values()) {
                shuffle(rows, rng);
                int[] counts = counts(rows.size(), share);
                int at = 0;
                for (int p = 0; p < 3; p++) {
                    out.get(p).addAll(rows.subList(at, at + counts[p]));
                    at += counts[p];
                }
            }
            return sorted(out);
        }

        /** Rows shuffled and cut by the shares. */
        static int[][] random(int n, double[] share, long seed) {
            List<Integer> rows = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                rows.add(i);
            }
            shuffle(rows, new SplittableRandom(seed));
            int[] counts = counts(n, share);
            List<List<Integer>> out = new ArrayList<>();
            int at = 0;
            for (int p = 0; p < 3; p++) {
                out.add(rows.subList(at, at + counts[p]));
                at += counts[p];
            }
            return sorted(out);
        }

        /**
         * Groups shuffled, then dealt in that order to train until it holds its share of rows, then to validation,
         * then to test: no group is on two sides; the parts' sizes follow the shares as closely as whole groups allow.
         */
        static int[][] grouped(List<String> groups, double[] share, long seed) {
            Map<String, List<Integer>> byGroup = new LinkedHashMap<>();
            for (int i = 0; i < groups.size(); i++) {
                byGroup.computeIfAbsent(groups.get(i), k -> new ArrayList<>()).add(i);
            }
            List<String> order = new ArrayList<>(byGroup.keySet());
            java.util.Collections.sort(order);
            shuffle(order, new SplittableRandom(seed));
            int n = groups.size();
            double[] target = {share[0] * n, (share[0] + share[1]) * n, n};
            List<List<Integer>> out = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            int dealt = 0;
            int part = 0;
            for (String g : order) {
                while (part < 2 && dealt >= target[part] - 1e-9) {
                    part++;
                }
                out.get(part).addAll(byGroup.get(g));
                dealt += byGroup.get(g).size();
            }
            return sorted(out);
        }

        /** Part sizes of n rows by the shares, by largest remainder (ties to the earlier part). */
        static int[] counts(int n, double[] share) {
            int[] c = new int[3];
            double[] rem = new double[3];
            int given = 0;
            for (int p = 0; p < 3; p++) {
                double exact = share[p] * n;
                c[p] = (int) Math.floor(exact);
                rem[p] = exact - c[p];
                given += c[p];
            }
            while (given < n) {
                int best = -1;
                for (int p = 0; p < 3; p++) {
                    if (share[p] > 0 && (best < 0 || rem[p] > rem[best])) {
                        best = p;
                    }
                }
                c[best]++;
                rem[best] = -1;
                given++;
            }
            return c;
        }

        private static <T> void shuffle(List<T> list, SplittableRandom rng) {
            for (int i = list.size() - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                T t = list.get(i);
                list.set(i, list.get(j));
                list.set(j, t);
            }
        }

        private static int[][] sorted(List<? extends List<Integer>> parts) {
            int[][] out = new int[3][];
            for (int p = 0; p < 3; p++) {
                out[p] = parts.get(p).stream().mapToInt(Integer::intValue).sorted().toArray();
            }
            return out;
        }
    }
}
