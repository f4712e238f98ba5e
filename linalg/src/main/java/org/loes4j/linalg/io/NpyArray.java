package org.loes4j.linalg.io;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

import org.loes4j.linalg.Precision;
import org.loes4j.linalg.SegmentMatrix;

/**
 * A {@code .npy} array memory-mapped read-only (see {@link Npy#map(Path)}). Nothing is copied to the heap
 * unless a method says so; views ({@link #matrix()}, {@link #layer(int)}) share the mapping and are valid
 * until {@link #close()}, which unmaps the file.
 */
public final class NpyArray implements AutoCloseable {
    private final Path file;
    private final NpyDType dtype;
    private final long[] shape;
    private final Arena arena;
    private final MemorySegment data;

    NpyArray(Path file, NpyDType dtype, long[] shape, Arena arena, MemorySegment data) {
        this.file = file;
        this.dtype = dtype;
        this.shape = shape;
        this.arena = arena;
        this.data = data;
    }

    /** The mapped file. */
    public Path file() {
        return file;
    }

    public NpyDType dtype() {
        return dtype;
    }

    /** A copy of the shape. */
    public long[] shape() {
        return shape.clone();
    }

    /** Number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** Extent of dimension {@code axis}. */
    public long dim(int axis) {
        if (axis < 0 || axis >= shape.length) {
            throw new IllegalArgumentException("axis: " + axis + " outside [0, " + shape.length + ")");
        }
        return shape[axis];
    }

    /** Number of elements. */
    public long size() {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }

    /** The raw element bytes (little-endian, C order), read-only. */
    public MemorySegment data() {
        return data;
    }

    /** Element {@code index} (flat, C order) widened to double. */
    public double getDouble(long index) {
        checkIndex(index);
        return dtype.getDouble(data, index);
    }

    private void checkIndex(long index) {
        if (index < 0 || index >= size()) {
            throw new IllegalArgumentException("index: " + index + " outside [0, " + size() + ")");
        }
    }

    /** {@code "(3000, 22, 768) <f4"}, for messages. */
    public String describe() {
        return Npy.shapeString(shape) + " " + dtype.descriptor();
    }

    private Precision floatPrecision() {
        return switch (dtype) {
            case FLOAT32 -> Precision.FLOAT32;
            case FLOAT64 -> Precision.FLOAT64;
            default -> throw new NpyFormatException(file, "dtype " + dtype.descriptor()
                    + " is not a float32/float64 matrix");
        };
    }

    private int intDim(int axis) {
        if (shape[axis] > Integer.MAX_VALUE) {
            throw new NpyFormatException(file, "dimension " + axis + " = " + shape[axis] + " is too large");
        }
        return (int) shape[axis];
    }

    /** The 2-D (N, d) float array as an N x d matrix view (no copy). */
    public SegmentMatrix matrix() {
        if (shape.length != 2) {
            throw new NpyFormatException(file, "expected a 2-D (N, d) array, found shape " + describe());
        }
        int n = intDim(0);
        int d = intDim(1);
        return new SegmentMatrix(data, 0, floatPrecision(), n, d, d);
    }

    /** Number of layers L of a 3-D (N, L, d) array. */
    public int layers() {
        if (shape.length != 3) {
            throw new NpyFormatException(file, "expected a 3-D (N, L, d) array, found shape " + describe());
        }
        return intDim(1);
    }

    /**
     * Layer {@code l} of a 3-D (N, L, d) float array as an N x d view: element (i, j) is
     * {@code a[i, l, j]}, row stride {@code L * d}, offset {@code l * d} elements (no copy).
     */
    public SegmentMatrix layer(int l) {
        int layers = layers();
        if (l < 0 || l >= layers) {
            throw new IllegalArgumentException("l: layer " + l + " outside [0, " + layers + ") of " + file);
        }
        int n = intDim(0);
        int d = intDim(2);
        Precision p = floatPrecision();
        return new SegmentMatrix(data, (long) l * d * p.bytes(), p, n, d, (long) layers * d);
    }

    private void requireVector() {
        boolean column = shape.length == 2 && shape[1] == 1;
        if (shape.length != 1 && !column) {
            throw new NpyFormatException(file, "expected a 1-D array (or (N, 1)), found shape " + describe());
        }
        if (shape[0] > Integer.MAX_VALUE - 8) {
            throw new NpyFormatException(file, shape[0] + " elements are too many for a Java array");
        }
    }

    /** A 1-D (or (N, 1)) integer array copied into a {@code long[]}. Float arrays are refused. */
    public long[] toLongArray() {
        requireVector();
        if (dtype.isFloatingPoint()) {
            throw new NpyFormatException(file, "expected integer values, found dtype " + dtype.descriptor());
        }
        long[] out = new long[(int) shape[0]];
        for (int i = 0; i < out.length; i++) {
            out[i] = dtype.getLong(data, i);
        }
        return out;
    }

    /** A 1-D (or (N, 1)) array of any supported dtype copied into a {@code double[]}. */
    public double[] toDoubleArray() {
        requireVector();
        double[] out = new double[(int) shape[0]];
        for (int i = 0; i < out.length; i++) {
            out[i] = dtype.getDouble(data, i);
        }
        return out;
    }

    /** Unmaps the file; views taken from this array become invalid. */
    @Override
    public void close() {
        arena.close();
    }

    @Override
    public String toString() {
        return "NpyArray[" + file + " " + describe() + "]";
    }
}
