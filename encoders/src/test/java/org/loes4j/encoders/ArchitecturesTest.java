package org.loes4j.encoders;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.loes4j.data.LayeredEmbeddings;
import org.loes4j.linalg.DMatrix;
import org.loes4j.linalg.FMatrix;
import org.loes4j.linalg.Linalg;

/** The registry of architectures and the text side of {@link LayerwiseEncoder} (the image side: MobileNetV2DefinitionTest). */
class ArchitecturesTest {
    @Test
    void recognisesModelsByNameAndFiles() throws Exception {
        assertEquals(List.of(Architectures.MOBILENET_V2, Architectures.BERT), Architectures.all());
        assertSame(Architectures.BERT, Architectures.byName("BERT").orElseThrow());
        assertSame(Architectures.BERT, Architectures.detect("all-MiniLM-L6-v2"));
        ModelFiles minilm = TestModels.files(KnownModel.ALL_MINILM_L6_V2);
        assertSame(Architectures.BERT, Architectures.detect(minilm.weights().toString()));
        assertSame(Architectures.BERT, Architectures.detect(minilm.weights().getParent().toString()));

        Path tfjs = TestModels.tempDir("tfjs-model");
        Files.writeString(tfjs.resolve("model.json"), "{}");
        assertSame(Architectures.MOBILENET_V2, Architectures.detect(tfjs.toString()));
        assertEquals(LayerwiseEncoder.Modality.IMAGE, Architectures.MOBILENET_V2.modality());

        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> Architectures.detect(tfjs.resolve("missing").toString()));
        assertTrue(none.getMessage().contains("[mobilenet_v2, bert]"), none.getMessage());
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class,
                () -> Architectures.register(Architectures.BERT));
        assertTrue(dup.getMessage().contains("already registered"), dup.getMessage());
        // A TensorFlow.js model that is not a MobileNetV2 is recognised by its files, then refused by name.
        IllegalArgumentException notMobileNet = assertThrows(IllegalArgumentException.class,
                () -> Architectures.load(tfjs.toString(), Linalg.get()));
        assertTrue(notMobileNet.getMessage().contains("modelTopology"), notMobileNet.getMessage());
    }

    @Test
    void bertIsALayerwiseEncoderWithTheCliDefaults() throws Exception {
        LayerwiseEncoder<?> loaded = Architectures.load("all-MiniLM-L6-v2", Linalg.get());
        TextEncoder text = assertInstanceOf(TextEncoder.class, loaded);
        assertEquals("bert", text.architecture());
        assertEquals(LayerwiseEncoder.Modality.TEXT, text.modality());
        assertEquals(text.stateNames(), text.layerNames());
        assertArrayEquals(new int[] {384, 384, 384, 384, 384, 384, 384}, text.layerWidths());

        List<String> texts = TestModels.sentences().subList(0, 3);
        LayeredEmbeddings layers = text.encodeLayers(texts);
        FMatrix flat = text.encode(texts, new TextEncoder.Options(EnumSet.of(Pooling.MEAN), 256, 32)).flat(Pooling.MEAN);
        assertEquals(7, layers.layerCount());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6}, layers.layerIndices());
        for (int l = 0; l < 7; l++) {
            DMatrix m = layers.load(l);
            for (int i = 0; i < texts.size(); i++) {
                for (int j = 0; j < 384; j++) {
                    assertEquals(flat.get(i, l * 384 + j), m.get(i, j), 0.0, "layer " + l);
                }
            }
        }
    }
}
