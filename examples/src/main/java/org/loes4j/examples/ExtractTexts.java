package org.loes4j.examples;

import java.io.IOException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;

import org.loes4j.data.LayeredEmbeddings;
import org.loes4j.data.Task;
import org.loes4j.encoders.Pooling;
import org.loes4j.encoders.TextEncoder;
import org.loes4j.selection.Loes;
import org.loes4j.selection.SelectionResult;

/**
 * Encode a few texts with a pretrained encoder run in Java and look at every hidden state: the README's
 * second library example. The weights come from the class path (the carrier jar is a dependency of this
 * project). Exits with 1 if the shape is not the model's.
 */
public final class ExtractTexts {
    private ExtractTexts() {
    }

    public static void main(String[] args) throws IOException {
        // snippet:start extract
        List<String> texts = List.of("The committee approved the budget.", "A storm is expected tonight.",
                "Shares fell sharply after the report.", "The recipe needs two eggs and flour.",
                "Voters head to the polls on Tuesday.", "Heavy rain flooded the streets.");
        TextEncoder encoder = TextEncoder.load("all-MiniLM-L6-v2");   // weights found on the class path
        TextEncoder.Result result = encoder.encode(texts, new TextEncoder.Options(EnumSet.of(Pooling.MEAN), 64, 8));
        LayeredEmbeddings embeddings = result.get(Pooling.MEAN);      // 6 texts x 7 hidden states x 384
        System.out.println(embeddings.describe());

        // No labels: label-free LOES ranks the layers by isotropy and redundancy alone.
        SelectionResult picks = Loes.builder().task(Task.LABEL_FREE).k(2).calibrationFraction(1.0).build()
                .select(embeddings, null);
        System.out.println("label-free LOES picks hidden states " + Arrays.toString(picks.selected()));
        // snippet:end extract

        if (embeddings.rows() != texts.size() || embeddings.layerCount() != 7 || embeddings.width(0) != 384) {
            System.err.println("unexpected shape: " + embeddings.describe());
            System.exit(1);
        }
    }
}
