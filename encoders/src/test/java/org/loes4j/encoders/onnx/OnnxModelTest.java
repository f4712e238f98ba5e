package org.loes4j.encoders.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.loes4j.encoders.KnownModel;
import org.loes4j.encoders.TestModels;
import org.loes4j.encoders.bert.BertConfig;
import org.loes4j.encoders.bert.OnnxBertImporter;

class OnnxModelTest {

    /** Protobuf encoding written from the wire-format definition, for hand-built models. */
    static final class Proto {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Proto varint(int field, long v) {
            tag(field, 0);
            raw(v);
            return this;
        }

        Proto bytes(int field, byte[] payload) {
            tag(field, 2);
            raw(payload.length);
            out.writeBytes(payload);
            return this;
        }

        Proto string(int field, String s) {
            return bytes(field, s.getBytes(StandardCharsets.UTF_8));
        }

        Proto message(int field, Proto m) {
            return bytes(field, m.out.toByteArray());
        }

        Proto fixed32(int field, float f) {
            tag(field, 5);
            int bits = Float.floatToIntBits(f);
            for (int i = 0; i < 4; i++) {
                out.write((bits >>> (8 * i)) & 0xFF);
            }
            return this;
        }

        private void tag(int field, int wire) {
            raw(((long) field << 3) | wire);
        }

        private void raw(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }
    }

    private static Proto floatTensor(String name, long[] dims, float[] values) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            raw.putFloat(v);
        }
        Proto t = new Proto();
        Proto packedDims = new Proto();
        for (long d : dims) {
            packedDims.raw(d);
        }
        t.bytes(1, packedDims.out.toByteArray()).varint(2, OnnxTensor.FLOAT).string(8, name).bytes(9, raw.array());
        return t;
    }

    @Test
    void readsNodesInitializersAttributesAndMergedGraphs() throws Exception {
        Proto constant = new Proto().varint(1, 1).varint(2, OnnxTensor.INT64).string(8, "c").varint(7, 12);
        Proto node = new Proto().string(1, "x").string(1, "w").string(2, "y").string(3, "/mm").string(4, "MatMul");
        Proto constNode = new Proto().string(2, "k").string(3, "/Constant").string(4, "Constant")
                .message(5, new Proto().string(1, "value").message(5, constant));
        Proto eps = new Proto().string(2, "e").string(4, "Constant")
                .message(5, new Proto().string(1, "value").message(5, new Proto().varint(2, OnnxTensor.FLOAT)
                        .fixed32(4, 1e-12f)));
        Proto graph = new Proto().message(1, node).message(1, constNode).message(1, eps).string(2, "g")
                .message(5, floatTensor("w", new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}))
                .message(11, new Proto().string(1, "x")).message(12, new Proto().string(1, "y"));
        Proto extraOutputs = new Proto().message(12, new Proto().string(1, "k"));
        Proto model = new Proto().varint(1, 8).string(2, "pytorch").string(3, "2.0.1").message(7, graph)
                .message(7, extraOutputs);
        Path file = TestModels.tempDir("onnx").resolve("m.onnx");
        Files.write(file, model.out.toByteArray());
        try (OnnxModel m = OnnxModel.open(file)) {
            assertEquals(8, m.irVersion());
            assertEquals("pytorch 2.0.1", m.producer());
            assertEquals(List.of("y", "k"), m.outputs());
            assertEquals(List.of("x"), m.inputs());
            OnnxTensor w = m.initializer("w").orElseThrow();
            assertArrayEquals(new long[] {2, 3}, w.dims());
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, w.toFloatArray());
            assertEquals("MatMul", m.producer("y").orElseThrow().opType());
            assertEquals("/mm", m.consumers("w").getFirst().name());
            assertArrayEquals(new long[] {12}, m.constant("k").orElseThrow().toLongArray());
            assertEquals(1e-12f, m.constant("e").orElseThrow().scalarFloat());
            assertTrue(m.constant("y").isEmpty());
            OnnxFormatException notBert = assertThrows(OnnxFormatException.class, () -> OnnxBertImporter.load(m, 0));
            assertTrue(notBert.getMessage().contains("embeddings.word_embeddings.weight"), notBert.getMessage());
        }
    }

    @Test
    void rejectsBytesThatAreNotAModel() throws Exception {
        Path dir = TestModels.tempDir("onnx");
        Path text = dir.resolve("notes.onnx");
        Files.writeString(text, "this is not a protobuf file, it is plain text\n");
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxModel.open(text).close());
        assertTrue(e.getMessage().contains("notes.onnx"), e.getMessage());
        Path truncated = dir.resolve("cut.onnx");
        Proto graph = new Proto().message(5, floatTensor("w", new long[] {4}, new float[] {1, 2, 3, 4}));
        byte[] full = new Proto().message(7, graph).out.toByteArray();
        Files.write(truncated, java.util.Arrays.copyOf(full, full.length - 5));
        assertThrows(OnnxFormatException.class, () -> OnnxModel.open(truncated).close());
    }

    /**
     * An untrusted model declares dims its data does not have: the copy must not be allocated from the dims
     * (a 17 GB long[] here, an OutOfMemoryError before), and negative or overflowing dims are refused when the
     * model is opened. Every message names the file.
     */
    @Test
    void declaredDimsAreCheckedAgainstTheDataBeforeAllocating() throws Exception {
        Path dir = TestModels.tempDir("onnx");
        Proto packedDims = new Proto();
        packedDims.raw(Integer.MAX_VALUE - 9);
        Proto liar = new Proto().bytes(1, packedDims.out.toByteArray()).varint(2, OnnxTensor.INT64).string(8, "ids")
                .bytes(9, new byte[8]);
        Path file = dir.resolve("liar.onnx");
        Files.write(file, new Proto().message(7, new Proto().message(5, liar)).out.toByteArray());
        try (OnnxModel m = OnnxModel.open(file)) {
            OnnxTensor t = m.initializer("ids").orElseThrow();
            OnnxFormatException e = assertThrows(OnnxFormatException.class, t::toLongArray);
            assertTrue(e.getMessage().startsWith(file + ": tensor 'ids': raw_data has 8 bytes"), e.getMessage());
        }

        for (long[] dims : new long[][] {{-1, 4}, {1L << 40, 1L << 40}}) {
            Proto d = new Proto();
            for (long v : dims) {
                d.raw(v);
            }
            Proto bad = new Proto().bytes(1, d.out.toByteArray()).varint(2, OnnxTensor.FLOAT).string(8, "w")
                    .bytes(9, new byte[16]);
            Path f = dir.resolve("dims" + dims[0] + ".onnx");
            Files.write(f, new Proto().message(7, new Proto().message(5, bad)).out.toByteArray());
            OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxModel.open(f).close());
            assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains("tensor 'w'"), e.getMessage());
        }
    }

    @Test
    void namesAMissingWeightOfARealModel() throws Exception {
        // Re-encode MiniLM's graph without one bias: the importer must say which.
        Path real = TestModels.files(KnownModel.ALL_MINILM_L6_V2).weights();
        try (OnnxModel m = OnnxModel.open(real)) {
            BertConfig c = OnnxBertImporter.load(m, 0).config();
            assertEquals(new BertConfig(30522, 384, 6, 12, 1536, 512, 2, 1e-12f), c);
            assertTrue(m.initializer("onnx::MatMul_787").isPresent(), "generated weight names mapped by structure");
        }
        Proto graph = new Proto()
                .message(5, floatTensor("embeddings.word_embeddings.weight", new long[] {4, 2}, new float[8]))
                .message(5, floatTensor("embeddings.position_embeddings.weight", new long[] {3, 2}, new float[6]))
                .message(5, floatTensor("embeddings.token_type_embeddings.weight", new long[] {1, 2}, new float[2]))
                .message(5, floatTensor("embeddings.LayerNorm.weight", new long[] {2}, new float[2]))
                .message(5, floatTensor("embeddings.LayerNorm.bias", new long[] {2}, new float[2]))
                .message(5, floatTensor("encoder.layer.0.attention.self.query.bias", new long[] {2}, new float[2]));
        Path file = TestModels.tempDir("onnx").resolve("partial.onnx");
        Files.write(file, new Proto().message(7, graph).out.toByteArray());
        try (OnnxModel m = OnnxModel.open(file)) {
            OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxBertImporter.load(m, 1));
            assertTrue(e.getMessage().contains("encoder.layer.0.attention.self.query"), e.getMessage());
        }
    }
}
