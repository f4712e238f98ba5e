/** Pretrained encoders run in Java, emitting every layer's pooled hidden states. */
module org.loes4j.encoders {
    requires org.loes4j.linalg;
}
