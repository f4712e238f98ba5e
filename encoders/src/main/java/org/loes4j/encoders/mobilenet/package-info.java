/**
 * The MobileNetV2 architecture: a reader for TensorFlow.js Keras layers models (as nsfwjs ships them, a
 * minified JS bundle with uint8-quantised weights; no JS engine), the mapping of its graph onto the
 * inverted-residual blocks with BatchNormalization folded, and a float32 forward pass that emits every
 * block's output.
 */
package org.loes4j.encoders.mobilenet;
