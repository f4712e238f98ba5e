/**
 * The BERT architecture: configuration inferred from weights, weights imported from an ONNX export,
 * and a float32 forward pass that emits every hidden state.
 */
package org.loes4j.encoders.bert;
