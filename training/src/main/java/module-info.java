/** Adapters, probes, GeoReg and AdamW, with hand-written forward and backward passes. */
module org.loes4j.training {
    requires org.loes4j.linalg;
}
