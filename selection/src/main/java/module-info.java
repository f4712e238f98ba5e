/** LOES layer selection, its baselines and the layer diagnostics. */
module org.loes4j.selection {
    requires transitive org.loes4j.data;
    requires transitive org.loes4j.linalg;

    exports org.loes4j.selection;
    exports org.loes4j.selection.baselines;
    exports org.loes4j.selection.data;
    exports org.loes4j.selection.metrics;
    exports org.loes4j.selection.probe;
    exports org.loes4j.selection.stats;
}
