/**
 * A reader of Hugging Face's {@code .safetensors} weight files (8-byte header length, JSON header,
 * raw little-endian tensor bytes), memory-mapped.
 */
package org.loes4j.encoders.safetensors;
