package org.loes4j.encoders.bert;

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
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.loes4j.encoders.KnownModel;
import org.loes4j.encoders.ModelFiles;
import org.loes4j.encoders.ModelResolver;
import org.loes4j.encoders.Pooling;
import org.loes4j.encoders.TestModels;
import org.loes4j.encoders.TextEncoder;
import org.loes4j.linalg.FMatrix;
import org.loes4j.linalg.Linalg;
import org.loes4j.linalg.io.Json;
import org.loes4j.linalg.io.Safetensors;

class SafetensorsBertImporterTest {

    /** Writes tensors (float32, or the given raw dtype bytes) as a safetensors file. */
    private static void write(Path file, Map<String, float[]> values, Map<String, long[]> shapes) throws Exception {
        Map<String, Object> header = new LinkedHashMap<>();
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (Map.Entry<String, float[]> e : values.entrySet()) {
            ByteBuffer b = ByteBuffer.allocate(e.getValue().length * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : e.getValue()) {
                b.putFloat(v);
            }
            long begin = data.size();
            data.writeBytes(b.array());
            header.put(e.getKey(), Map.of("dtype", "F32", "shape", shapes.get(e.getKey()),
                    "data_offsets", List.of(begin, (long) data.size())));
        }
        header.put("__metadata__", Map.of("format", "pt"));
        byte[] h = Json.write(header).getBytes(StandardCharsets.UTF_8);
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(len.array());
        out.writeBytes(h);
        out.writeBytes(data.toByteArray());
        Files.write(file, out.toByteArray());
    }

    private static void put(Map<String, float[]> v, Map<String, long[]> s, String name, FMatrix m) {
        v.put(name, m.copy().data());
        s.put(name, new long[] {m.rows(), m.cols()});
    }

    private static void put(Map<String, float[]> v, Map<String, long[]> s, String name, float[] a) {
        v.put(name, a);
        s.put(name, new long[] {a.length});
    }

    /** A PyTorch-layout linear layer (weight out x in) from our in x out columns [c0, c0 + n). */
    private static void linear(Map<String, float[]> v, Map<String, long[]> s, String name, BertWeights.Linear l, int c0, int n) {
        put(v, s, name + ".weight", l.weight().view(0, c0, l.weight().rows(), n).transposeCopy());
        float[] b = new float[n];
        System.arraycopy(l.bias(), c0, b, 0, n);
        put(v, s, name + ".bias", b);
    }

    @Test
    void aCheckpointOfTheSameWeightsGivesIdenticalEmbeddings() throws Exception {
        ModelFiles onnxFiles = TestModels.files(KnownModel.ALL_MINILM_L6_V2);
        TextEncoder fromOnnx = TextEncoder.load(onnxFiles, Linalg.get());
        BertWeights w = fromOnnx.model().weights();
        int d = w.config().hidden();
        Map<String, float[]> v = new LinkedHashMap<>();
        Map<String, long[]> s = new LinkedHashMap<>();
        put(v, s, "bert.embeddings.word_embeddings.weight", w.wordEmbeddings());
        put(v, s, "bert.embeddings.position_embeddings.weight", w.positionEmbeddings());
        put(v, s, "bert.embeddings.token_type_embeddings.weight", w.tokenTypeEmbeddings());
        put(v, s, "bert.embeddings.LayerNorm.weight", w.embeddingNorm().gamma());
        put(v, s, "bert.embeddings.LayerNorm.bias", w.embeddingNorm().beta());
        for (int i = 0; i < w.blocks().size(); i++) {
            BertWeights.Block b = w.blocks().get(i);
            String p = "bert.encoder.layer." + i + ".";
            linear(v, s, p + "attention.self.query", b.queryKeyValue(), 0, d);
            linear(v, s, p + "attention.self.key", b.queryKeyValue(), d, d);
            linear(v, s, p + "attention.self.value", b.queryKeyValue(), 2 * d, d);
            linear(v, s, p + "attention.output.dense", b.attentionOutput(), 0, d);
            put(v, s, p + "attention.output.LayerNorm.gamma", b.attentionNorm().gamma());
            put(v, s, p + "attention.output.LayerNorm.beta", b.attentionNorm().beta());
            linear(v, s, p + "intermediate.dense", b.intermediate(), 0, b.intermediate().weight().cols());
            linear(v, s, p + "output.dense", b.output(), 0, d);
            put(v, s, p + "output.LayerNorm.weight", b.outputNorm().gamma());
            put(v, s, p + "output.LayerNorm.bias", b.outputNorm().beta());
        }
        Path dir = TestModels.tempDir("safetensors");
        write(dir.resolve("model.safetensors"), v, s);
        Files.copy(onnxFiles.tokenizer(), dir.resolve("tokenizer.json"));
        ModelResolver resolver = ModelResolver.defaults();
        IllegalArgumentException noConfig = assertThrows(IllegalArgumentException.class,
                () -> TextEncoder.load(resolver.resolve(dir.toString()), Linalg.get()));
        assertTrue(noConfig.getMessage().contains("config.json"), noConfig.getMessage());
        Files.writeString(dir.resolve("config.json"), "{\"num_attention_heads\": 12, \"layer_norm_eps\": 1e-12}");

        TextEncoder fromCheckpoint = TextEncoder.load(resolver.resolve(dir.toString()), Linalg.get());
        assertEquals(w.config(), fromCheckpoint.config());
        List<String> texts = TestModels.sentences().subList(30, 34);
        TextEncoder.Options o = new TextEncoder.Options(EnumSet.of(Pooling.MEAN), 64, 4);
        assertArrayEquals(fromOnnx.encode(texts, o).flat(Pooling.MEAN).data(),
                fromCheckpoint.encode(texts, o).flat(Pooling.MEAN).data());
    }

    @Test
    void decodesHalfPrecisionAndRejectsCorruptHeaders() throws Exception {
        Path dir = TestModels.tempDir("safetensors");
        Path f = dir.resolve("half.safetensors");
        // [1.5, -2] as F16 (0x3E00, 0xC000) and as BF16 (0x3FC0, 0xC000).
        byte[] data = {0x00, 0x3E, 0x00, (byte) 0xC0, (byte) 0xC0, 0x3F, 0x00, (byte) 0xC0};
        byte[] h = ("{\"a\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[4,8]}}").getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
        out.writeBytes(h);
        out.writeBytes(data);
        Files.write(f, out.toByteArray());
        try (Safetensors st = Safetensors.open(f)) {
            assertArrayEquals(new float[] {1.5f, -2f}, st.floats("a"));
            assertArrayEquals(new float[] {1.5f, -2f}, st.floats("b"));
            IllegalArgumentException notBert = assertThrows(IllegalArgumentException.class,
                    () -> SafetensorsBertImporter.load(st, 12));
            assertTrue(notBert.getMessage().contains("embeddings.word_embeddings.weight"), notBert.getMessage());
            assertTrue(notBert.getMessage().contains("half.safetensors"), notBert.getMessage());
        }
        Path partial = dir.resolve("partial.safetensors");
        write(partial, Map.of("embeddings.word_embeddings.weight", new float[] {1, 2, 3, 4}),
                Map.of("embeddings.word_embeddings.weight", new long[] {2, 2}));
        try (Safetensors st = Safetensors.open(partial)) {
            IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                    () -> SafetensorsBertImporter.load(st, 1));
            assertTrue(missing.getMessage().contains("partial.safetensors")
                    && missing.getMessage().contains("'embeddings.position_embeddings.weight'"), missing.getMessage());
        }
        Path bad = dir.resolve("bad.safetensors");
        Files.write(bad, java.util.Arrays.copyOf(out.toByteArray(), 20));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Safetensors.open(bad).close());
        assertTrue(e.getMessage().contains("bad.safetensors"), e.getMessage());
    }
}
