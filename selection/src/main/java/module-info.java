/** LOES layer selection, its baselines and the layer diagnostics. */
module org.loes4j.selection {
    requires org.loes4j.linalg;
}
