package org.loes4j.encoders.onnx;

/**
 * A model file that is not a readable ONNX model, or a graph this reader does not support. It is an
 * {@link IllegalArgumentException}: the file is bad input (the CLI maps it to exit code 2).
 */
public class OnnxFormatException extends IllegalArgumentException {
    public OnnxFormatException(String message) {
        super(message);
    }
}
