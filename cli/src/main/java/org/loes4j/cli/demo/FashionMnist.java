package org.loes4j.cli.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf 2017, Zalando Research; MIT licence): 28 x 28 grey images of
 * clothing in 10 classes, 60,000 for training and 10,000 for testing, as IDX files. The vision demo reads
 * them from Debian's {@code dataset-fashion-mnist} package: the installed copy under
 * {@link #INSTALLED_DIR} when present, else the pinned {@code .deb} fetched with {@code apt-get download}
 * and unpacked into the data cache ({@link DebianPackage}).
 */
public final class FashionMnist {
    /** The Debian package, pinned by the SHA-256 of its .deb (bookworm, fetched 2025 on this project's machines). */
    public static final DebianPackage PACKAGE = new DebianPackage("dataset-fashion-mnist", "0.0~git20200523.55506a9-1",
            "39e172fe32dd318ebb3e512220c3beea2fa47d7e20bab348fb4e0922d6beefc0");
    /** Where {@code apt-get install dataset-fashion-mnist} puts the files. */
    public static final Path INSTALLED_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    /** System property naming another installed directory to look in first (tests point it at an empty one). */
    public static final String INSTALLED_DIR_PROPERTY = "loes4j.fashion-mnist.installed";

    /** Where an installed copy is looked for: {@link #INSTALLED_DIR_PROPERTY}, else {@link #INSTALLED_DIR}. */
    static Path installedDir() {
        String p = System.getProperty(INSTALLED_DIR_PROPERTY);
        return p == null || p.isBlank() ? INSTALLED_DIR : Path.of(p);
    }
    /** The files' place inside the package's tree. */
    static final String PACKAGE_SUBDIR = "usr/share/datasets/fashion-mnist";
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte.gz";
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte.gz";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte.gz";
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte.gz";
    /** The class names of labels 0..9, from the data set's README. */
    public static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
            "Shirt", "Sneaker", "Bag", "Ankle boot");
    public static final String ATTRIBUTION = "Fashion-MNIST (Xiao, Rasul and Vollgraf 2017, Zalando Research; MIT "
            + "licence), from Debian's dataset-fashion-mnist package; encoder weights: MobileNetV2 from the npm "
            + "package nsfwjs 4.3.0 (MIT licence).";

    private FashionMnist() {
    }

    /** One half of the data set: {@code count} grey images of {@code rows x cols} and their labels. */
    public record Part(IdxFile images, byte[] labels) {
        public Part {
            if (images.dims().length != 3) {
                throw new IllegalArgumentException("images: rank " + images.dims().length + ", expected 3");
            }
            if (labels.length != images.dims()[0]) {
                throw new IllegalArgumentException("labels: " + labels.length + " for " + images.dims()[0] + " images");
            }
        }

        public int count() {
            return images.dims()[0];
        }

        public int rows() {
            return images.dims()[1];
        }

        public int cols() {
            return images.dims()[2];
        }

        public int label(int i) {
            return labels[i] & 0xff;
        }
    }

    /**
     * The directory holding the four IDX files: the installed package if complete, else the pinned .deb
     * unpacked into {@code cacheDir}.
     */
    public static Path locate(Path cacheDir, Consumer<String> log) throws IOException {
        Path installed = installedDir();
        if (complete(installed)) {
            log.accept("using the installed package " + installed);
            return installed;
        }
        Path root = PACKAGE.unpack(DebianPackage.defaultAptCommand(), DebianPackage.defaultDpkgDebCommand(), cacheDir, log);
        Path dir = root.resolve(PACKAGE_SUBDIR);
        if (!complete(dir)) {
            throw new IOException(PACKAGE.spec() + ": " + dir + " lacks the IDX files");
        }
        return dir;
    }

    static boolean complete(Path dir) {
        for (String f : List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS)) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                return false;
            }
        }
        return true;
    }

    /** Reads one part ({@code train} = the 60,000, else the 10,000 test images) from {@code dir}. */
    public static Part read(Path dir, boolean train) throws IOException {
        IdxFile images = IdxFile.read(dir.resolve(train ? TRAIN_IMAGES : TEST_IMAGES));
        IdxFile labels = IdxFile.read(dir.resolve(train ? TRAIN_LABELS : TEST_LABELS));
        if (labels.dims().length != 1) {
            throw new IOException(dir + ": labels of rank " + labels.dims().length + ", expected 1");
        }
        for (byte b : labels.values()) {
            if ((b & 0xff) >= CLASSES.size()) {
                throw new IOException(dir + ": label " + (b & 0xff) + " outside 0.." + (CLASSES.size() - 1));
            }
        }
        return new Part(images, labels.values());
    }

    /**
     * Disjoint stratified, seeded samples of {@code part}: sample s holds {@code perClass[s]} images of every
     * class. Each class's indices are chosen uniformly without replacement (a partial Fisher-Yates shuffle with
     * {@link SplittableRandom} of {@code seed}) and dealt to the samples in order; then each sample is shuffled
     * with the same generator.
     *
     * @throws IllegalArgumentException when a class has fewer than {@code sum(perClass)} images
     */
    public static int[][] stratified(Part part, int[] perClass, long seed) {
        int need = 0;
        for (int p : perClass) {
            if (p < 0) {
                throw new IllegalArgumentException("perClass: " + p + " must be >= 0");
            }
            need += p;
        }
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < CLASSES.size(); c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < part.count(); i++) {
            byClass.get(part.label(i)).add(i);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        int[][] out = new int[perClass.length][];
        for (int s = 0; s < perClass.length; s++) {
            out[s] = new int[perClass[s] * CLASSES.size()];
        }
        int[] filled = new int[perClass.length];
        for (int c = 0; c < CLASSES.size(); c++) {
            List<Integer> idx = byClass.get(c);
            if (idx.size() < need) {
                throw new IllegalArgumentException("perClass: " + need + " images of each class needed but class "
                        + CLASSES.get(c) + " has " + idx.size());
            }
            int[] a = new int[idx.size()];
            for (int i = 0; i < a.length; i++) {
                a[i] = idx.get(i);
            }
            int i = 0;
            for (int s = 0; s < perClass.length; s++) {
                for (int r = 0; r < perClass[s]; r++, i++) {
                    int j = i + rnd.nextInt(a.length - i);
                    int t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                    out[s][filled[s]++] = a[i];
                }
            }
        }
        for (int[] sample : out) {
            for (int i = sample.length - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = sample[i];
                sample[i] = sample[j];
                sample[j] = t;
            }
        }
        return out;
    }

    /** The images {@code indices} of {@code part}, resized to {@code size x size} RGB in [0, 1] ({@link ImageResize}). */
    public static float[] pixels(Part part, int[] indices, int size) {
        float[] out = new float[Math.multiplyExact(indices.length, 3 * size * size)];
        for (int i = 0; i < indices.length; i++) {
            ImageResize.greyToRgb(part.images().values(), indices[i], part.rows(), part.cols(), size, out,
                    i * 3 * size * size);
        }
        return out;
    }
}
