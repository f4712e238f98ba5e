/** Adapters, probes, GeoReg and AdamW, with hand-written forward and backward passes. */
module org.loes4j.training {
    requires transitive org.loes4j.linalg;
    requires transitive org.loes4j.data;

    exports org.loes4j.training;
    exports org.loes4j.training.nn;
    exports org.loes4j.training.geo;
    exports org.loes4j.training.optim;
    exports org.loes4j.training.model;
    exports org.loes4j.training.metrics;
}
