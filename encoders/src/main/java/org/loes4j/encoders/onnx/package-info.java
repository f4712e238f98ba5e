/**
 * A small reader of ONNX model files (protobuf wire format, memory-mapped): the graph's nodes and fp32
 * initializers, enough to map a BERT export onto {@link org.loes4j.encoders.bert}. Not an ONNX runtime.
 */
package org.loes4j.encoders.onnx;
