package org.loes4j.encoders.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class ExposedOutputsTest {

    @Test
    void bertHiddenStateNamesStartWithTheEmbeddingOutput() {
        assertEquals(List.of("/embeddings/LayerNorm/Add_1_output_0", "/encoder/layer.0/output/LayerNorm/Add_1_output_0",
                "/encoder/layer.1/output/LayerNorm/Add_1_output_0", "last_hidden_state"),
                ExposedOutputs.bertHiddenStates(3));
        assertThrows(IllegalArgumentException.class, () -> ExposedOutputs.bertHiddenStates(0));
    }

    /** The appended bytes, decoded by hand: field 7 { field 12 { field 1 name, field 2 { field 1 { 8, 1 } } } }. */
    @Test
    void appendsOneGraphWithTheOutputsAsProtobuf() {
        byte[] model = {1, 2, 3};
        byte[] out = ExposedOutputs.withFloatOutputs(model, List.of("ab"));
        assertArrayEquals(model, Arrays.copyOf(out, 3));
        byte[] name = "ab".getBytes(StandardCharsets.UTF_8);
        byte[] expectedTail = {
            0x3A, 12,                 // ModelProto.graph (field 7, length-delimited), 12 bytes
            0x62, 10,                 // GraphProto.output (field 12), 10 bytes
            0x0A, 2, name[0], name[1], // ValueInfoProto.name (field 1)
            0x12, 4,                  // ValueInfoProto.type (field 2), 4 bytes
            0x0A, 2,                  // TypeProto.tensor_type (field 1), 2 bytes
            0x08, 1,                  // TypeProto.Tensor.elem_type = 1 (FLOAT)
        };
        assertArrayEquals(expectedTail, Arrays.copyOfRange(out, 3, out.length));
    }
}
