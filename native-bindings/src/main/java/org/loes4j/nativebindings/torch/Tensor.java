package org.loes4j.nativebindings.torch;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.loes4j.nativebindings.torch.internal.AotiShim;

/**
 * Owner of one {@code AtenTensorHandle}: {@link #close()} deletes it (the tensor object, and its storage
 * when nothing else refers to it; storage made with {@link #fromBlob} stays the caller's). Handles passed to
 * the dispatcher are consumed by it, so they are given away with {@link #newReference()}.
 */
final class Tensor implements AutoCloseable {
    private MemorySegment handle;

    private Tensor(MemorySegment handle) {
        this.handle = handle;
    }

    /** Takes ownership of a handle returned by LibTorch (a "new reference"). */
    static Tensor own(MemorySegment handle) {
        if (handle.address() == 0) {
            throw new IllegalStateException("LibTorch returned a null tensor handle");
        }
        return new Tensor(handle);
    }

    /**
     * A 2-d tensor viewing {@code data} (not copied, not owned): element (i, j) at element offset
     * {@code i * rowStride + j * colStride}.
     */
    static Tensor fromBlob(Arena arena, MemorySegment data, long rows, long cols, long rowStride, long colStride,
                           int dtype, int deviceType) {
        MemorySegment sizes = arena.allocateFrom(JAVA_LONG, rows, cols);
        MemorySegment strides = arena.allocateFrom(JAVA_LONG, rowStride, colStride);
        MemorySegment ret = arena.allocate(ADDRESS);
        TorchException.check(AotiShim.aoti_torch_create_tensor_from_blob(data, 2, sizes, strides, 0, dtype,
                deviceType, 0, ret), "aoti_torch_create_tensor_from_blob", rows + " x " + cols);
        return own(ret.get(ADDRESS, 0));
    }

    /** The raw handle, still owned by this wrapper. */
    MemorySegment handle() {
        if (handle == null) {
            throw new IllegalStateException("tensor handle already closed");
        }
        return handle;
    }

    /** A new handle to the same tensor, owned by whoever receives it (e.g. a dispatcher stack slot). */
    long newReference(Arena arena) {
        MemorySegment ret = arena.allocate(ADDRESS);
        TorchException.check(AotiShim.aoti_torch_new_tensor_handle(handle(), ret), "aoti_torch_new_tensor_handle",
                "handle for a dispatcher argument");
        return ret.get(ADDRESS, 0).address();
    }

    int dtype(Arena arena) {
        MemorySegment ret = arena.allocate(JAVA_INT);
        TorchException.check(AotiShim.aoti_torch_get_dtype(handle(), ret), "aoti_torch_get_dtype", "result dtype");
        return ret.get(JAVA_INT, 0);
    }

    int dim(Arena arena) {
        MemorySegment ret = arena.allocate(JAVA_LONG);
        TorchException.check(AotiShim.aoti_torch_get_dim(handle(), ret), "aoti_torch_get_dim", "result rank");
        return Math.toIntExact(ret.get(JAVA_LONG, 0));
    }

    long[] sizes(Arena arena) {
        return borrowedLongs(arena, true);
    }

    long[] strides(Arena arena) {
        return borrowedLongs(arena, false);
    }

    private long[] borrowedLongs(Arena arena, boolean sizes) {
        int d = dim(arena);
        MemorySegment ret = arena.allocate(ADDRESS);
        int code = sizes ? AotiShim.aoti_torch_get_sizes(handle(), ret) : AotiShim.aoti_torch_get_strides(handle(), ret);
        TorchException.check(code, sizes ? "aoti_torch_get_sizes" : "aoti_torch_get_strides", "result layout");
        MemorySegment arr = ret.get(ADDRESS, 0).reinterpret((long) d * Long.BYTES);
        long[] out = new long[d];
        for (int i = 0; i < d; i++) {
            out[i] = arr.getAtIndex(JAVA_LONG, i);
        }
        return out;
    }

    /** The data pointer (storage offset applied), as a segment of {@code bytes} bytes. */
    MemorySegment data(Arena arena, long bytes) {
        MemorySegment ret = arena.allocate(ADDRESS);
        TorchException.check(AotiShim.aoti_torch_get_data_ptr(handle(), ret), "aoti_torch_get_data_ptr", "result data");
        return ret.get(ADDRESS, 0).reinterpret(bytes);
    }

    int itemInt32(Arena arena) {
        MemorySegment ret = arena.allocate(JAVA_INT);
        TorchException.check(AotiShim.aoti_torch_item_int32(handle(), ret), "aoti_torch_item_int32", "info scalar");
        return ret.get(JAVA_INT, 0);
    }

    @Override
    public void close() {
        MemorySegment h = handle;
        if (h != null) {
            handle = null;
            TorchException.check(AotiShim.aoti_torch_delete_tensor_object(h), "aoti_torch_delete_tensor_object",
                    "releasing a tensor");
        }
    }
}
