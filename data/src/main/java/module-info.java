/**
 * The one data vocabulary of loes4j, shared by encoders, selection, training and the CLI: layered
 * embeddings (N rows by L layers, each layer with its own width; on the heap, memory-mapped or streamed in
 * row blocks), the task, labels with their class names or regression targets, and typed provenance.
 */
module org.loes4j.data {
    requires transitive org.loes4j.linalg;

    exports org.loes4j.data;
}
