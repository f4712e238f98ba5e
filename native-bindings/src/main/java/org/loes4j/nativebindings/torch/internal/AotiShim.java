package org.loes4j.nativebindings.torch.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * FFM bindings to the functions of LibTorch's AOTInductor C shim that loes4j uses, in jextract's generated
 * style: one {@code static final} descriptor and one lazily initialised {@code static final} downcall handle
 * per function (a nested holder class, created on first call, after {@link #bind} has given the loaded
 * library). The functions and their C declarations are listed in {@code torch-allowlist.txt} next to this
 * class, which also says how to regenerate it with jextract.
 *
 * <p>Every {@code AOTITorchError} is returned as an {@code int} (0 = success) for the caller to check;
 * {@code AtenTensorHandle} and other pointers are {@link MemorySegment}s.
 */
public final class AotiShim {
    private static volatile SymbolLookup library;

    private AotiShim() {
    }

    /** Gives the bindings the loaded {@code libtorch_cpu.so}; must precede the first call. */
    public static void bind(SymbolLookup lookup) {
        library = lookup;
    }

    /** Whether {@link #bind} was called. */
    public static boolean isBound() {
        return library != null;
    }

    private static MethodHandle downcall(String name, FunctionDescriptor desc) {
        SymbolLookup l = library;
        if (l == null) {
            throw new IllegalStateException("libtorch_cpu.so is not loaded; " + name + " cannot be bound");
        }
        MemorySegment address = l.find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libtorch_cpu.so does not export " + name));
        return Linker.nativeLinker().downcallHandle(address, desc);
    }

    private static AssertionError unexpected(Throwable t) {
        return new AssertionError("downcall failed unexpectedly", t);
    }

    // ---------------------------------------------------------------- descriptors (from the allowlist)

    static final FunctionDescriptor DEVICE_TYPE_CPU = FunctionDescriptor.of(JAVA_INT);
    static final FunctionDescriptor DTYPE_FLOAT32 = FunctionDescriptor.of(JAVA_INT);
    static final FunctionDescriptor DTYPE_FLOAT64 = FunctionDescriptor.of(JAVA_INT);
    static final FunctionDescriptor ABI_VERSION = FunctionDescriptor.of(JAVA_LONG);
    static final FunctionDescriptor CREATE_TENSOR_FROM_BLOB = FunctionDescriptor.of(JAVA_INT,
            ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS);
    static final FunctionDescriptor DELETE_TENSOR_OBJECT = FunctionDescriptor.of(JAVA_INT, ADDRESS);
    static final FunctionDescriptor NEW_TENSOR_HANDLE = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS);
    static final FunctionDescriptor GET_DATA_PTR = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS);
    static final FunctionDescriptor GET_DIM = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS);
    static final FunctionDescriptor GET_SIZES = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS);
    static final FunctionDescriptor GET_STRIDES = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS);
    static final FunctionDescriptor GET_DTYPE = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS);
    static final FunctionDescriptor ITEM_INT32 = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS);
    static final FunctionDescriptor CPU_ADDMM_OUT = FunctionDescriptor.of(JAVA_INT,
            ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_DOUBLE, JAVA_DOUBLE);
    static final FunctionDescriptor CALL_DISPATCHER = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
    static final FunctionDescriptor SET_NUM_THREADS = FunctionDescriptor.ofVoid(JAVA_INT);
    static final FunctionDescriptor GET_NUM_THREADS = FunctionDescriptor.of(JAVA_INT);

    /** Symbol name to descriptor for every bound function, in allowlist order (for the consistency test). */
    public static Map<String, FunctionDescriptor> descriptors() {
        Map<String, FunctionDescriptor> m = new LinkedHashMap<>();
        m.put("aoti_torch_device_type_cpu", DEVICE_TYPE_CPU);
        m.put("aoti_torch_dtype_float32", DTYPE_FLOAT32);
        m.put("aoti_torch_dtype_float64", DTYPE_FLOAT64);
        m.put("aoti_torch_abi_version", ABI_VERSION);
        m.put("aoti_torch_create_tensor_from_blob", CREATE_TENSOR_FROM_BLOB);
        m.put("aoti_torch_delete_tensor_object", DELETE_TENSOR_OBJECT);
        m.put("aoti_torch_new_tensor_handle", NEW_TENSOR_HANDLE);
        m.put("aoti_torch_get_data_ptr", GET_DATA_PTR);
        m.put("aoti_torch_get_dim", GET_DIM);
        m.put("aoti_torch_get_sizes", GET_SIZES);
        m.put("aoti_torch_get_strides", GET_STRIDES);
        m.put("aoti_torch_get_dtype", GET_DTYPE);
        m.put("aoti_torch_item_int32", ITEM_INT32);
        m.put("aoti_torch_cpu_addmm_out", CPU_ADDMM_OUT);
        m.put("aoti_torch_call_dispatcher", CALL_DISPATCHER);
        m.put("_ZN2at15set_num_threadsEi", SET_NUM_THREADS);
        m.put("_ZN2at15get_num_threadsEv", GET_NUM_THREADS);
        return m;
    }

    // ---------------------------------------------------------------- constants

    private static final class device_type_cpu {
        static final MethodHandle HANDLE = downcall("aoti_torch_device_type_cpu", DEVICE_TYPE_CPU);
    }

    /** {@code int32_t aoti_torch_device_type_cpu()} */
    public static int aoti_torch_device_type_cpu() {
        try {
            return (int) device_type_cpu.HANDLE.invokeExact();
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static final class dtype_float32 {
        static final MethodHandle HANDLE = downcall("aoti_torch_dtype_float32", DTYPE_FLOAT32);
    }

    /** {@code int32_t aoti_torch_dtype_float32()} */
    public static int aoti_torch_dtype_float32() {
        try {
            return (int) dtype_float32.HANDLE.invokeExact();
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static final class dtype_float64 {
        static final MethodHandle HANDLE = downcall("aoti_torch_dtype_float64", DTYPE_FLOAT64);
    }

    /** {@code int32_t aoti_torch_dtype_float64()} */
    public static int aoti_torch_dtype_float64() {
        try {
            return (int) dtype_float64.HANDLE.invokeExact();
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static final class abi_version {
        static final MethodHandle HANDLE = downcall("aoti_torch_abi_version", ABI_VERSION);
    }

    /** {@code uint64_t aoti_torch_abi_version()} */
    public static long aoti_torch_abi_version() {
        try {
            return (long) abi_version.HANDLE.invokeExact();
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    // ---------------------------------------------------------------- tensor objects

    private static final class create_tensor_from_blob {
        static final MethodHandle HANDLE = downcall("aoti_torch_create_tensor_from_blob", CREATE_TENSOR_FROM_BLOB);
    }

    /**
     * {@code AOTITorchError aoti_torch_create_tensor_from_blob(void* data, int64_t ndim, const int64_t*
     * sizes_ptr, const int64_t* strides_ptr, int64_t storage_offset, int32_t dtype, int32_t device_type,
     * int32_t device_index, AtenTensorHandle* ret_new_tensor)}: a tensor viewing memory it does not own.
     */
    public static int aoti_torch_create_tensor_from_blob(MemorySegment data, long ndim, MemorySegment sizes,
            MemorySegment strides, long storageOffset, int dtype, int deviceType, int deviceIndex, MemorySegment ret) {
        try {
            return (int) create_tensor_from_blob.HANDLE.invokeExact(data, ndim, sizes, strides, storageOffset,
                    dtype, deviceType, deviceIndex, ret);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static final class delete_tensor_object {
        static final MethodHandle HANDLE = downcall("aoti_torch_delete_tensor_object", DELETE_TENSOR_OBJECT);
    }

    /** {@code AOTITorchError aoti_torch_delete_tensor_object(AtenTensorHandle tensor)} */
    public static int aoti_torch_delete_tensor_object(MemorySegment tensor) {
        try {
            return (int) delete_tensor_object.HANDLE.invokeExact(tensor);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static final class new_tensor_handle {
        static final MethodHandle HANDLE = downcall("aoti_torch_new_tensor_handle", NEW_TENSOR_HANDLE);
    }

    /** {@code AOTITorchError aoti_torch_new_tensor_handle(AtenTensorHandle orig_handle, AtenTensorHandle* new_handle)} */
    public static int aoti_torch_new_tensor_handle(MemorySegment orig, MemorySegment ret) {
        try {
            return (int) new_tensor_handle.HANDLE.invokeExact(orig, ret);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static final class get_data_ptr {
        static final MethodHandle HANDLE = downcall("aoti_torch_get_data_ptr", GET_DATA_PTR);
    }

    /** {@code AOTITorchError aoti_torch_get_data_ptr(AtenTensorHandle tensor, void** ret_data_ptr)} (borrowed) */
    public static int aoti_torch_get_data_ptr(MemorySegment tensor, MemorySegment ret) {
        try {
            return (int) get_data_ptr.HANDLE.invokeExact(tensor, ret);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static final class get_dim {
        static final MethodHandle HANDLE = downcall("aoti_torch_get_dim", GET_DIM);
    }

    /** {@code AOTITorchError aoti_torch_get_dim(AtenTensorHandle tensor, int64_t* ret_dim)} */
    public static int aoti_torch_get_dim(MemorySegment tensor, MemorySegment ret) {
        try {
            return (int) get_dim.HANDLE.invokeExact(tensor, ret);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static final class get_sizes {
        static final MethodHandle HANDLE = downcall("aoti_torch_get_sizes", GET_SIZES);
    }

    /** {@code AOTITorchError aoti_torch_get_sizes(AtenTensorHandle tensor, int64_t** ret_sizes)} (borrowed) */
    public static int aoti_torch_get_sizes(MemorySegment tensor, MemorySegment ret) {
        try {
            return (int) get_sizes.HANDLE.invokeExact(tensor, ret);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static final class get_strides {
        static final MethodHandle HANDLE = downcall("aoti_torch_get_strides", GET_STRIDES);
    }

    /** {@code AOTITorchError aoti_torch_get_strides(AtenTensorHandle tensor, int64_t** ret_strides)} (borrowed) */
    public static int aoti_torch_get_strides(MemorySegment tensor, MemorySegment ret) {
        try {
            return (int) get_strides.HANDLE.invokeExact(tensor, ret);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static final class get_dtype {
        static final MethodHandle HANDLE = downcall("aoti_torch_get_dtype", GET_DTYPE);
    }

    /** {@code AOTITorchError aoti_torch_get_dtype(AtenTensorHandle tensor, int32_t* ret_dtype)} */
    public static int aoti_torch_get_dtype(MemorySegment tensor, MemorySegment ret) {
        try {
            return (int) get_dtype.HANDLE.invokeExact(tensor, ret);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static final class item_int32 {
        static final MethodHandle HANDLE = downcall("aoti_torch_item_int32", ITEM_INT32);
    }

    /** {@code AOTITorchError aoti_torch_item_int32(AtenTensorHandle tensor, int32_t* ret_value)} */
    public static int aoti_torch_item_int32(MemorySegment tensor, MemorySegment ret) {
        try {
            return (int) item_int32.HANDLE.invokeExact(tensor, ret);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    // ---------------------------------------------------------------- operators

    private static final class cpu_addmm_out {
        static final MethodHandle HANDLE = downcall("aoti_torch_cpu_addmm_out", CPU_ADDMM_OUT);
    }

    /**
     * {@code AOTITorchError aoti_torch_cpu_addmm_out(AtenTensorHandle out, AtenTensorHandle self,
     * AtenTensorHandle mat1, AtenTensorHandle mat2, double beta, double alpha)}: {@code out = beta self +
     * alpha mat1 mat2}.
     */
    public static int aoti_torch_cpu_addmm_out(MemorySegment out, MemorySegment self, MemorySegment mat1,
            MemorySegment mat2, double beta, double alpha) {
        try {
            return (int) cpu_addmm_out.HANDLE.invokeExact(out, self, mat1, mat2, beta, alpha);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static final class call_dispatcher {
        static final MethodHandle HANDLE = downcall("aoti_torch_call_dispatcher", CALL_DISPATCHER);
    }

    /**
     * {@code AOTITorchError aoti_torch_call_dispatcher(const char* opName, const char* overloadName,
     * StableIValue* stack)}: runs any ATen operator boxed. The stack holds the arguments in schema order
     * and receives the returns from index 0. Tensor arguments are consumed (their handles deleted); returned
     * tensors are new references. Only argument types the 2.7 shim converts may appear (tensor, int, float,
     * bool, None for an optional); a {@code str} argument is not converted and must never be passed.
     */
    public static int aoti_torch_call_dispatcher(MemorySegment opName, MemorySegment overloadName, MemorySegment stack) {
        try {
            return (int) call_dispatcher.HANDLE.invokeExact(opName, overloadName, stack);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    // ---------------------------------------------------------------- ATen C++ (Itanium-mangled, C calling convention)

    private static final class set_num_threads {
        static final MethodHandle HANDLE = downcall("_ZN2at15set_num_threadsEi", SET_NUM_THREADS);
    }

    /** {@code void at::set_num_threads(int)}: the intra-op thread count of every later ATen call. */
    public static void at_set_num_threads(int n) {
        try {
            set_num_threads.HANDLE.invokeExact(n);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    private static final class get_num_threads {
        static final MethodHandle HANDLE = downcall("_ZN2at15get_num_threadsEv", GET_NUM_THREADS);
    }

    /** {@code int at::get_num_threads()} */
    public static int at_get_num_threads() {
        try {
            return (int) get_num_threads.HANDLE.invokeExact();
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }
}
