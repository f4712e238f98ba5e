/** Pretrained encoders run in Java, emitting every layer's pooled hidden states. */
module org.loes4j.encoders {
    requires org.loes4j.linalg;
    requires transitive org.loes4j.data;
    requires static jdk.incubator.vector;

    exports org.loes4j.encoders;
    exports org.loes4j.encoders.bert;
    exports org.loes4j.encoders.mobilenet;
    exports org.loes4j.encoders.onnx;
    exports org.loes4j.encoders.tokenizer;
}
