package org.loes4j.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.loes4j.data.Labels;
import org.loes4j.data.LayeredEmbeddings;
import org.loes4j.data.Task;
import org.loes4j.selection.Loes;
import org.loes4j.selection.SelectionResult;
import org.loes4j.selection.data.SyntheticEmbeddings;
import org.loes4j.training.Predictions;
import org.loes4j.training.Probe;

/**
 * Select layers with LOES, fit a probe on them, save it, load it back and predict: the README's first
 * library example. Writes a synthetic (N, L, d) file first (the one {@code loes synth} writes: 12 layers of
 * width 384, the class signal peaking at hidden state 5), and exits with 1 if the result is not what the
 * data dictates.
 */
public final class SelectTrainPredict {
    private SelectTrainPredict() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "target/work"));
        new SyntheticEmbeddings(2000, 12, 384, 4, 42).write(dir.resolve("embeddings.npy"), dir.resolve("labels.npy"));

        // snippet:start select-train-predict
        try (LayeredEmbeddings embeddings = LayeredEmbeddings.open(dir.resolve("embeddings.npy"))) {
            Labels labels = Labels.read(dir.resolve("labels.npy"), Task.CLASSIFICATION);

            SelectionResult selection = Loes.builder().k(4).seed(42).build().select(embeddings, labels);
            int[] layers = selection.selected();                  // hidden-state indices, in selection order

            Probe probe = Probe.builder().layers(layers).epochs(30).seed(42).fit(embeddings, labels);
            probe.save(dir.resolve("probe.safetensors"));

            Probe loaded = Probe.load(dir.resolve("probe.safetensors"));
            Predictions predictions = loaded.predict(embeddings); // reads its own layers out of all of them
            System.out.println("LOES picked " + Arrays.toString(layers) + "; classes " + loaded.classes()
                    + "; sample 0 is '" + predictions.label(0) + "' (true '" + labels.labels().get(0) + "')");
            // snippet:end select-train-predict

            double accuracy = loaded.evaluateClassification(embeddings, labels).accuracy();
            System.out.printf("training-set accuracy %.3f%n", accuracy);
            if (layers.length != 4 || layers[0] != 5 || accuracy < 0.6) {
                System.err.println("unexpected result: layers " + Arrays.toString(layers) + ", accuracy " + accuracy);
                System.exit(1);
            }
        }
    }
}
