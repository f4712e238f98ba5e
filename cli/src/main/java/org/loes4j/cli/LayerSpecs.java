package org.loes4j.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Layer lists given on the command line, in the embeddings' numbering (0..L-1): {@code 0-11},
 * {@code 1,3,5-7} or {@code all}; and subsets of layers, {@code ;}-separated lists ({@code "1,2;3-5"}) or
 * {@code none}. Every problem is a {@link BadInputException} naming the option.
 */
final class LayerSpecs {
    private LayerSpecs() {
    }

    /** Parses a layer list; null or {@code all} means every layer. Result ascending, without repeats. */
    static int[] parse(String option, String spec, int count) {
        if (spec == null || spec.strip().equalsIgnoreCase("all")) {
            int[] all = new int[count];
            for (int i = 0; i < count; i++) {
                all[i] = i;
            }
            return all;
        }
        TreeSet<Integer> set = new TreeSet<>();
        for (String part : spec.split(",")) {
            String p = part.strip();
            int dash = p.indexOf('-', 1);
            int from;
            int to;
            try {
                if (dash > 0) {
                    from = Integer.parseInt(p.substring(0, dash).strip());
                    to = Integer.parseInt(p.substring(dash + 1).strip());
                } else {
                    from = Integer.parseInt(p);
                    to = from;
                }
            } catch (NumberFormatException e) {
                throw new BadInputException(option + ": '" + p + "' is not a layer or a range a-b");
            }
            if (from > to) {
                throw new BadInputException(option + ": range '" + p + "' is empty");
            }
            for (int l = from; l <= to; l++) {
                if (l < 0 || l >= count) {
                    throw new BadInputException(option + ": layer " + l + " does not exist (the embeddings have "
                            + count + " layers, 0-" + (count - 1) + ")");
                }
                set.add(l);
            }
        }
        return set.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Parses {@code ;}-separated layer lists; null, blank or {@code none} means no subset. */
    static List<int[]> subsets(String option, String spec, int count) {
        List<int[]> out = new ArrayList<>();
        if (spec == null || spec.isBlank() || spec.strip().equalsIgnoreCase("none")) {
            return out;
        }
        for (String part : spec.split(";", -1)) {
            if (part.isBlank()) {
                throw new BadInputException(option + ": '" + spec + "' holds an empty subset; write e.g. \"1,2;3-5\"");
            }
            if (part.strip().equalsIgnoreCase("all")) {
                throw new BadInputException(option + ": 'all' is not a subset; list its layers, e.g. 0-" + (count - 1));
            }
            out.add(parse(option, part, count));
        }
        return out;
    }
}
