package org.loes4j.encoders.safetensors;

/** A file that is not a readable safetensors file; bad input (an {@link IllegalArgumentException}). */
public class SafetensorsFormatException extends IllegalArgumentException {
    public SafetensorsFormatException(String message) {
        super(message);
    }
}
