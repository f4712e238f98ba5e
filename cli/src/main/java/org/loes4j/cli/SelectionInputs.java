package org.loes4j.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.SegmentMatrix;
import org.loes4j.linalg.io.FileDigests;
import org.loes4j.linalg.io.Npy;
import org.loes4j.linalg.io.NpyArray;
import org.loes4j.linalg.io.Safetensors;
import org.loes4j.selection.data.LayerStack;

/**
 * The embeddings and labels of {@code loes select}, opened and checked: an (N, L, d) {@code .npy}, a
 * directory of per-layer (N, d) {@code .npy} files (sorted by the number in their names, then by name), or a
 * {@code .safetensors} file with one (N, d) tensor per layer (sorted the same way by tensor name), all
 * memory-mapped; labels from {@code .npy} or a text file with one value per line. Every problem is a
 * {@link BadInputException} (exit code 2) naming the file and what is wrong. Closing unmaps the files.
 */
final class SelectionInputs implements AutoCloseable {
    private static final Pattern NUMBER = Pattern.compile("(\\d+)");

    private final List<NpyArray> arrays = new ArrayList<>();
    private final List<Safetensors> safetensors = new ArrayList<>();
    private final Map<String, String> digests = new LinkedHashMap<>();
    /** Embedding files still to digest, by provenance key; hashed on a background thread. */
    private final Map<String, Path> pending = new LinkedHashMap<>();
    private Thread digester;
    private volatile IOException digestFailure;
    private final List<SegmentMatrix> layerViews = new ArrayList<>();
    private final List<Path> layerFiles = new ArrayList<>();

    /** Opens {@code embeddings} (file or directory); nothing is read into the heap. */
    SelectionInputs(Path embeddings) throws IOException {
        try {
            if (Files.isDirectory(embeddings)) {
                openDirectory(embeddings);
            } else {
                openFile(embeddings);
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void openFile(Path file) throws IOException {
        if (file.getFileName().toString().endsWith(".safetensors")) {
            openSafetensors(file);
            return;
        }
        NpyArray a = Npy.map(file);
        arrays.add(a);
        pending.put("embeddings", file);
        if (a.rank() == 2) {
            layerViews.add(a.matrix());
            layerFiles.add(file);
        } else if (a.rank() == 3) {
            for (int l = 0; l < a.layers(); l++) {
                layerViews.add(a.layer(l));
                layerFiles.add(file);
            }
        } else {
            throw new BadInputException(file + ": expected an (N, L, d) or (N, d) array, found " + a.describe());
        }
    }

    private void openDirectory(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.npy")) {
            for (Path p : s) {
                files.add(p);
            }
        }
        if (files.isEmpty()) {
            throw new BadInputException(dir + ": directory holds no .npy files");
        }
        files.sort(Comparator.comparingLong((Path p) -> numberIn(p)).thenComparing(p -> p.getFileName().toString()));
        for (Path f : files) {
            NpyArray a = Npy.map(f);
            arrays.add(a);
            if (a.rank() != 2) {
                throw new BadInputException(f + ": expected a per-layer (N, d) array, found " + a.describe());
            }
            SegmentMatrix m = a.matrix();
            if (!layerViews.isEmpty() && (m.rows() != layerViews.get(0).rows() || m.cols() != layerViews.get(0).cols())) {
                throw new BadInputException(f + ": shape " + a.describe() + " differs from " + layerFiles.get(0) + " ("
                        + layerViews.get(0).rows() + ", " + layerViews.get(0).cols() + ")");
            }
            layerViews.add(m);
            layerFiles.add(f);
            pending.put("embeddings/" + f.getFileName(), f);
        }
    }

    /** One 2-D F32/F64 tensor per layer, ordered by the number in the tensor name, then by name. */
    private void openSafetensors(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(file + ": file does not exist");
        }
        Safetensors st = Safetensors.open(file);
        safetensors.add(st);
        pending.put("embeddings", file);
        List<String> names = new ArrayList<>(st.names());
        if (names.isEmpty()) {
            throw new BadInputException(file + ": holds no tensors");
        }
        names.sort(Comparator.comparingLong((String n) -> numberIn(n)).thenComparing(n -> n));
        for (String name : names) {
            Safetensors.TensorInfo info = st.info(name);
            if (info.shape().length != 2) {
                throw new BadInputException(file + ": tensor '" + name + "' has shape " + Arrays.toString(info.shape())
                        + ", expected one (N, d) tensor per layer");
            }
            if (info.dtype() != Safetensors.DType.F32 && info.dtype() != Safetensors.DType.F64) {
                throw new BadInputException(file + ": tensor '" + name + "' is " + info.dtype()
                        + ", expected F32 or F64");
            }
            SegmentMatrix m = st.matrix(name);
            if (!layerViews.isEmpty() && (m.rows() != layerViews.get(0).rows() || m.cols() != layerViews.get(0).cols())) {
                throw new BadInputException(file + ": tensor '" + name + "' is " + m.shape() + ", the first layer is "
                        + layerViews.get(0).shape());
            }
            layerViews.add(m);
            layerFiles.add(file);
        }
    }

    private static long numberIn(Path p) {
        return numberIn(p.getFileName().toString());
    }

    private static long numberIn(String name) {
        Matcher m = NUMBER.matcher(name);
        long last = Long.MAX_VALUE;
        while (m.find()) {
            try {
                last = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                last = Long.MAX_VALUE;
            }
        }
        return last;
    }

    private void putDigest(String key, String value) {
        synchronized (digests) {
            digests.put(key, value);
        }
    }

    /** Number of layers in the file(s). */
    int layerCount() {
        return layerViews.size();
    }

    int rows() {
        return layerViews.get(0).rows();
    }

    int dim() {
        return layerViews.get(0).cols();
    }

    /** Layer l as an N x d view of the mapping. */
    SegmentMatrix layer(int l) {
        return layerViews.get(l);
    }

    /** The stack of the given layer numbers (ascending, all valid). */
    LayerStack stack(int[] layers) {
        List<SegmentMatrix> views = new ArrayList<>();
        for (int l : layers) {
            views.add(layerViews.get(l));
        }
        return LayerStack.ofSegments(views, layers);
    }

    /**
     * Starts hashing the embedding files on a background thread, so that the SHA-256 of a few hundred MB
     * overlaps the selection instead of preceding it.
     */
    void startDigests() {
        if (digester != null) {
            return;
        }
        Map<String, Path> todo = new LinkedHashMap<>(pending);
        Map<String, String> done = new LinkedHashMap<>();
        digester = new Thread(() -> {
            try {
                for (Map.Entry<String, Path> e : todo.entrySet()) {
                    String h = FileDigests.sha256(e.getValue());
                    synchronized (done) {
                        done.put(e.getKey(), e.getValue() + " sha256:" + h);
                    }
                }
            } catch (IOException e) {
                digestFailure = e;
            }
            synchronized (digests) {
                synchronized (done) {
                    Map<String, String> labels = new LinkedHashMap<>(digests);
                    digests.clear();
                    digests.putAll(done);
                    digests.putAll(labels);
                }
            }
        }, "loes-digest");
        digester.setDaemon(true);
        digester.start();
    }

    /** Input names and SHA-256 digests for the provenance (waits for the background hashing). */
    Map<String, String> digests() throws IOException {
        startDigests();
        try {
            digester.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while hashing the inputs", e);
        }
        if (digestFailure != null) {
            throw digestFailure;
        }
        synchronized (digests) {
            return new LinkedHashMap<>(digests);
        }
    }

    /**
     * Labels as read: integer classes (classification) or an N x c matrix of float targets (regression; a
     * 1-D file or text gives one column, an (N, c) .npy c columns).
     */
    record Labels(long[] classes, DMatrix values) {
        int rows() {
            return classes != null ? classes.length : values.rows();
        }
    }

    /** Reads labels (classification: integers; regression: floats) from .npy or text and records the digest. */
    Labels readLabels(Path file, boolean classification) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(file + ": labels file does not exist");
        }
        double[] values;
        if (file.getFileName().toString().endsWith(".npy")) {
            try (NpyArray a = Npy.map(file)) {
                putDigest("labels", file + " sha256:" + FileDigests.sha256(file));
                if (classification && !a.dtype().isFloatingPoint()) {
                    return new Labels(a.toLongArray(), null);
                }
                if (!classification && a.rank() == 2 && a.dim(1) > 1 && a.dtype().isFloatingPoint()) {
                    DMatrix m = a.matrix().toDMatrix();
                    for (int i = 0; i < m.rows(); i++) {
                        for (int j = 0; j < m.cols(); j++) {
                            if (!Double.isFinite(m.get(i, j))) {
                                throw new BadInputException(file + ": target " + m.get(i, j) + " at row " + i
                                        + ", column " + j);
                            }
                        }
                    }
                    return new Labels(null, m);
                }
                values = a.toDoubleArray();
            }
        } else {
            values = readText(file);
            putDigest("labels", file + " sha256:" + FileDigests.sha256(file));
        }
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new BadInputException(file + ": label " + values[i] + " at row " + i);
            }
        }
        if (classification) {
            long[] labels = new long[values.length];
            for (int i = 0; i < values.length; i++) {
                if (values[i] != Math.rint(values[i]) || Math.abs(values[i]) > 9.0e15) {
                    throw new BadInputException(file + ": label " + values[i] + " at row " + i
                            + " is not an integer (for float targets use --task regression)");
                }
                labels[i] = (long) values[i];
            }
            return new Labels(labels, null);
        }
        return new Labels(null, DMatrix.wrap(values, values.length, 1));
    }

    private static double[] readText(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String s = lines.get(i).strip();
            if (s.isEmpty()) {
                continue;
            }
            try {
                out.add(Double.parseDouble(s));
            } catch (NumberFormatException e) {
                throw new BadInputException(file + ": line " + (i + 1) + " '" + s + "' is not a number");
            }
        }
        double[] v = new double[out.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = out.get(i);
        }
        return v;
    }

    @Override
    public void close() {
        for (NpyArray a : arrays) {
            a.close();
        }
        arrays.clear();
        for (Safetensors st : safetensors) {
            st.close();
        }
        safetensors.clear();
    }
}
