package org.loes4j.nativebindings.testing;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a binding allowlist (one C declaration per line, {@code #} comments) and turns each declaration
 * into the {@link FunctionDescriptor} the x86-64 System V ABI calls for, so that a test can hold the
 * hand-written bindings to it.
 */
public final class Allowlist {
    private static final Pattern DECL = Pattern.compile("^\\s*(.+?)\\s*\\b(\\w+)\\s*\\((.*)\\)\\s*;\\s*$");
    /** Opaque handle typedefs (pointers in disguise). */
    private static final Set<String> HANDLES = Set.of("AtenTensorHandle", "cudaStream_t", "cublasHandle_t",
            "cusolverDnHandle_t");
    /** 32-bit enums and status types. */
    private static final Set<String> INT32 = Set.of("int32_t", "int", "uint32_t", "AOTITorchError", "cudaError_t",
            "cublasStatus_t", "cusolverStatus_t", "cublasOperation_t", "cublasFillMode_t", "cusolverEigMode_t",
            "cudaMemcpyKind", "cudaDeviceAttr", "cublasSideMode_t", "cublasDiagType_t");
    private static final Set<String> INT64 = Set.of("int64_t", "uint64_t", "size_t", "StableIValue");

    private Allowlist() {
    }

    /** Symbol name to descriptor, in file order. */
    public static Map<String, FunctionDescriptor> read(Class<?> anchor, String resource) throws IOException {
        Map<String, FunctionDescriptor> out = new LinkedHashMap<>();
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no resource " + resource + " next to " + anchor.getName());
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                Matcher m = DECL.matcher(line);
                if (!m.matches()) {
                    throw new IOException("not a C declaration: " + line);
                }
                List<MemoryLayout> args = new ArrayList<>();
                String params = m.group(3).trim();
                if (!params.isEmpty() && !params.equals("void")) {
                    for (String p : params.split(",")) {
                        args.add(layout(stripName(p.trim())));
                    }
                }
                String ret = m.group(1).replace("const ", "").trim();
                MemoryLayout[] a = args.toArray(new MemoryLayout[0]);
                out.put(m.group(2), ret.equals("void") ? FunctionDescriptor.ofVoid(a) : FunctionDescriptor.of(layout(ret), a));
            }
        }
        return out;
    }

    /** "const int64_t* sizes_ptr" -> "int64_t*"; "enum cudaMemcpyKind kind" -> "cudaMemcpyKind". */
    private static String stripName(String param) {
        String p = param.replace("const ", "").replace("enum ", "").trim();
        int cut = Math.max(p.lastIndexOf(' '), p.lastIndexOf('*'));
        String type = p.lastIndexOf('*') > p.lastIndexOf(' ') ? p : p.substring(0, cut).trim();
        return type.replace(" ", "");
    }

    private static MemoryLayout layout(String type) {
        String t = type.replace("const", "").replace("enum", "").trim();
        if (t.endsWith("*") || HANDLES.contains(t)) {
            return ADDRESS;
        }
        if (INT32.contains(t)) {
            return JAVA_INT;
        }
        if (INT64.contains(t)) {
            return JAVA_LONG;
        }
        if (t.equals("double")) {
            return JAVA_DOUBLE;
        }
        if (t.equals("float")) {
            return JAVA_FLOAT;
        }
        throw new IllegalArgumentException("allowlist type not mapped: '" + type + "'");
    }
}
