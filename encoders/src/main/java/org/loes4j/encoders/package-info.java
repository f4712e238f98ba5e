/**
 * Encoders run in Java on the linalg backend, emitting every layer pooled per input: BERT-family text
 * encoders ({@link org.loes4j.encoders.TextEncoder}) and MobileNetV2 for images
 * ({@link org.loes4j.encoders.ImageEncoder}), both {@link org.loes4j.encoders.LayerwiseEncoder}s that
 * {@link org.loes4j.encoders.Architectures} loads from their files.
 *
 * <pre>{@code
 * TextEncoder enc = TextEncoder.load("bge-small-en-v1.5");          // or all-MiniLM-L6-v2, e5-small-v2, a path
 * TextEncoder.Result r = enc.encode(texts, new TextEncoder.Options(EnumSet.of(Pooling.MEAN), 256, 32));
 * FMatrix layer5 = r.get(Pooling.MEAN).state(6);                     // N x d: output of block 5
 * }</pre>
 *
 * <p>Hidden-state index 0 is the embedding output; index k >= 1 is the output of transformer block k - 1
 * (the LOES paper's "layer k - 1"). Models are resolved by {@link org.loes4j.encoders.ModelResolver}:
 * built-in names from a models directory ({@code -Dloes4j.models.dir}), the class path, or the local Maven
 * repository, in that order; or paths to {@code .onnx} / {@code .safetensors} files with their
 * {@code tokenizer.json}.
 *
 * <pre>{@code
 * ImageEncoder img = ImageEncoder.load(Path.of("nsfwjs/dist/models/mobilenet_v2"), Linalg.get());
 * LayeredEmbeddings taps = img.encodeLayers(new ImageBatch(nhwcPixels, n, 224, 224));  // 18 taps, widths 16..1280
 * }</pre>
 *
 * <p>MobileNetV2's model files are not on Maven Central: {@code npm pack nsfwjs@4.3.0}, unpack it, and pass
 * its {@code package/dist/models/mobilenet_v2/} directory (the tests fetch it so, pinned by SHA-256).
 */
package org.loes4j.encoders;
