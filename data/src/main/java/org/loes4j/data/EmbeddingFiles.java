package org.loes4j.data;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
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

/**
 * Layered embeddings memory-mapped from disk (see {@link LayeredEmbeddings#open}): nothing is read into the
 * heap until rows are gathered. Closing unmaps the files; views taken from it must not be used after.
 */
public final class EmbeddingFiles implements LayeredEmbeddings {
    private static final Pattern NUMBER = Pattern.compile("(\\d+)");

    private final Path path;
    private final List<NpyArray> arrays;
    private final List<Safetensors> safetensors;
    private final Map<String, Path> files;
    private final MatrixLayers layers;

    private EmbeddingFiles(Path path, List<NpyArray> arrays, List<Safetensors> safetensors, Map<String, Path> files,
                           MatrixLayers layers) {
        this.path = path;
        this.arrays = arrays;
        this.safetensors = safetensors;
        this.files = Collections.unmodifiableMap(files);
        this.layers = layers;
    }

    static EmbeddingFiles open(Path path) throws IOException {
        if (path == null) {
            throw new IllegalArgumentException("path: null");
        }
        if (!Files.exists(path)) {
            throw new IllegalArgumentException(path + ": does not exist");
        }
        List<NpyArray> arrays = new ArrayList<>();
        List<Safetensors> tensors = new ArrayList<>();
        Map<String, Path> files = new LinkedHashMap<>();
        List<SegmentMatrix> views = new ArrayList<>();
        try {
            if (Files.isDirectory(path)) {
                openDirectory(path, arrays, files, views);
            } else if (path.getFileName().toString().endsWith(".safetensors")) {
                openSafetensors(path, tensors, files, views);
            } else {
                openNpy(path, arrays, files, views);
            }
            int[] idx = new int[views.size()];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = i;
            }
            return new EmbeddingFiles(path, arrays, tensors, files, new MatrixLayers(views, idx));
        } catch (IOException | RuntimeException e) {
            arrays.forEach(NpyArray::close);
            tensors.forEach(Safetensors::close);
            throw e;
        }
    }

    private static void openNpy(Path file, List<NpyArray> arrays, Map<String, Path> files, List<SegmentMatrix> views)
            throws IOException {
        NpyArray a = Npy.map(file);
        arrays.add(a);
        files.put("embeddings", file);
        if (a.rank() != 3) {
            throw new IllegalArgumentException(file + ": expected an (N, L, d) array, found " + a.describe()
                    + (a.rank() == 2 ? "; for per-layer (N, d) files, give their directory" : ""));
        }
        if (a.dim(0) == 0 || a.dim(1) == 0 || a.dim(2) == 0) {
            throw new IllegalArgumentException(file + ": " + a.describe() + " is empty (no rows, layers or columns)");
        }
        if (!a.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(file + ": " + a.describe() + " is not float32 or float64");
        }
        for (int l = 0; l < a.layers(); l++) {
            views.add(a.layer(l));
        }
    }

    private static void openDirectory(Path dir, List<NpyArray> arrays, Map<String, Path> files,
                                      List<SegmentMatrix> views) throws IOException {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.npy")) {
            for (Path p : s) {
                found.add(p);
            }
        }
        if (found.isEmpty()) {
            throw new IllegalArgumentException(dir + ": directory holds no .npy files");
        }
        found.sort(Comparator.comparingLong((Path p) -> numberIn(p.getFileName().toString()))
                .thenComparing(p -> p.getFileName().toString()));
        for (Path f : found) {
            NpyArray a = Npy.map(f);
            arrays.add(a);
            if (a.rank() != 2) {
                throw new IllegalArgumentException(f + ": expected a per-layer (N, d) array, found " + a.describe());
            }
            if (!a.dtype().isFloatingPoint()) {
                throw new IllegalArgumentException(f + ": " + a.describe() + " is not float32 or float64");
            }
            SegmentMatrix m = a.matrix();
            if (m.rows() == 0 || m.cols() == 0) {
                throw new IllegalArgumentException(f + ": " + a.describe() + " is empty");
            }
            if (!views.isEmpty() && m.rows() != views.getFirst().rows()) {
                throw new IllegalArgumentException(f + ": " + m.rows() + " rows, " + files.values().iterator().next()
                        + " has " + views.getFirst().rows());
            }
            views.add(m);
            files.put("embeddings/" + f.getFileName(), f);
        }
    }

    private static void openSafetensors(Path file, List<Safetensors> tensors, Map<String, Path> files,
                                        List<SegmentMatrix> views) throws IOException {
        Safetensors st = Safetensors.open(file);
        tensors.add(st);
        files.put("embeddings", file);
        List<String> names = new ArrayList<>(st.names());
        if (names.isEmpty()) {
            throw new IllegalArgumentException(file + ": holds no tensors");
        }
        names.sort(Comparator.comparingLong(EmbeddingFiles::numberIn).thenComparing(n -> n));
        for (String name : names) {
            Safetensors.TensorInfo info = st.info(name);
            if (info.shape().length != 2) {
                throw new IllegalArgumentException(file + ": tensor '" + name + "' has shape "
                        + Arrays.toString(info.shape()) + ", expected one (N, d) tensor per layer");
            }
            if (info.dtype() != Safetensors.DType.F32 && info.dtype() != Safetensors.DType.F64) {
                throw new IllegalArgumentException(file + ": tensor '" + name + "' is " + info.dtype()
                        + ", expected F32 or F64");
            }
            SegmentMatrix m = st.matrix(name);
            if (m.rows() == 0 || m.cols() == 0) {
                throw new IllegalArgumentException(file + ": tensor '" + name + "' is empty (" + m.shape() + ")");
            }
            if (!views.isEmpty() && m.rows() != views.getFirst().rows()) {
                throw new IllegalArgumentException(file + ": tensor '" + name + "' has " + m.rows()
                        + " rows, the first layer " + views.getFirst().rows());
            }
            views.add(m);
        }
    }

    /** The last number in a name (layer_3.npy -> 3), or MAX_VALUE. */
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

    /** The path opened (file or directory). */
    public Path path() {
        return path;
    }

    /** The files read, by provenance key ({@code embeddings} or {@code embeddings/<file>}). */
    public Map<String, Path> files() {
        return files;
    }

    /** Provenance key to {@code "<path> sha256:<hex>"} for every file read (hashes the whole files). */
    public Map<String, String> digests() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : files.entrySet()) {
            out.put(e.getKey(), e.getValue() + " sha256:" + FileDigests.sha256(e.getValue()));
        }
        return out;
    }

    /** Layer position l as a mapped N x d_l view (valid while this is open). */
    public SegmentMatrix layerView(int position) {
        return (SegmentMatrix) layers.matrix(position);
    }

    @Override
    public int rows() {
        return layers.rows();
    }

    @Override
    public int layerCount() {
        return layers.layerCount();
    }

    @Override
    public int width(int position) {
        return layers.width(position);
    }

    @Override
    public int layerIndex(int position) {
        return layers.layerIndex(position);
    }

    @Override
    public void gather(int position, int[] rowIds, int from, int count, DMatrix dst) {
        layers.gather(position, rowIds, from, count, dst);
    }

    @Override
    public LayeredEmbeddings layers(int[] positions) {
        return layers.layers(positions);
    }

    @Override
    public void checkFinite() {
        layers.checkFinite();
    }

    @Override
    public void close() {
        arrays.forEach(NpyArray::close);
        arrays.clear();
        safetensors.forEach(Safetensors::close);
        safetensors.clear();
    }

    @Override
    public String toString() {
        return path + ": " + describe();
    }
}
