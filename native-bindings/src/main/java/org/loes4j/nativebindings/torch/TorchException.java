package org.loes4j.nativebindings.torch;

/**
 * A LibTorch C-shim function returned a non-zero {@code AOTITorchError}. The shim converts the C++
 * exception to the code and prints its message on the process's standard error; the message here names
 * the function and what was being computed.
 */
public final class TorchException extends RuntimeException {
    private final String function;
    private final int code;

    public TorchException(String function, int code, String context) {
        super(function + " returned error code " + code + " (" + context
                + "); LibTorch printed the C++ exception on standard error");
        this.function = function;
        this.code = code;
    }

    /** The shim function that failed, e.g. {@code aoti_torch_cpu_addmm_out}. */
    public String function() {
        return function;
    }

    /** The non-zero {@code AOTITorchError}. */
    public int code() {
        return code;
    }

    static void check(int code, String function, String context) {
        if (code != 0) {
            throw new TorchException(function, code, context);
        }
    }
}
