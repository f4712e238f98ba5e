package org.loes4j.encoders.onnx;

import java.util.List;
import java.util.Map;

/**
 * An ONNX {@code NodeProto}: one operator application. Inputs and outputs are value names; an empty
 * input name means an omitted optional input.
 *
 * @param name       node name ({@code "/encoder/layer.0/attention/self/query/MatMul"} in torch exports)
 * @param opType     operator, e.g. {@code "MatMul"}
 * @param inputs     input value names, in operator order
 * @param outputs    output value names
 * @param attributes attributes by name
 */
public record OnnxNode(String name, String opType, List<String> inputs, List<String> outputs,
                       Map<String, Attribute> attributes) {

    public OnnxNode {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        attributes = Map.copyOf(attributes);
    }

    /** The operator's input at {@code index}, or the empty string when the node has fewer inputs. */
    public String input(int index) {
        return index < inputs.size() ? inputs.get(index) : "";
    }

    /**
     * An {@code AttributeProto}; only the fields the reader decodes (a float, an int, a string, a tensor,
     * int and float lists). Absent fields are 0, null or empty.
     */
    public record Attribute(String name, float f, long i, String s, OnnxTensor t, long[] ints) {
    }
}
