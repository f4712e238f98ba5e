package org.loes4j.cli.demo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The demo's labelled task: which era of American history a passage of a State of the Union address comes
 * from. Passages are cut from the addresses ({@link #passages}); the addresses, not the passages, are split
 * into train, validation and test ({@link #split}), so no address contributes to two splits and a probe
 * cannot score by recognising a speech it has seen; each split is then sampled with the same number of
 * passages per era, drawn round-robin over its addresses so long addresses do not dominate.
 */
public final class EraTask {

    /** A class of the task: addresses delivered in {@code [from, to]}. */
    public record Era(String name, int from, int to) {
        public Era {
            if (name == null || name.isBlank() || from > to) {
                throw new IllegalArgumentException("Era: '" + name + "' [" + from + ", " + to + "]");
            }
        }

        public boolean contains(int year) {
            return year >= from && year <= to;
        }
    }

    /**
     * Five eras with 31 to 71 addresses each in the 1790-2021 data: enough addresses per era that the test
     * split holds several speakers of every era, and 5 classes so the class-centroid triangle term is live.
     */
    public static final List<Era> ERAS = List.of(
            new Era("1790-1860 early republic", 1790, 1860),
            new Era("1861-1913 civil war to progressive era", 1861, 1913),
            new Era("1914-1945 world wars and depression", 1914, 1945),
            new Era("1946-1980 cold war", 1946, 1980),
            new Era("1981-2021 late 20th and 21st century", 1981, 2021));

    /**
     * A labelled passage.
     *
     * @param text   the words of the passage joined by single spaces
     * @param era    class index into the era list
     * @param speech index of the address in the speech list
     * @param part   position of the passage within its address (0-based)
     */
    public record Passage(String text, int era, int speech, int part) {
    }

    /**
     * Sizes of the sampled splits.
     *
     * @param trainPerEra      training passages per era
     * @param validationPerEra validation passages per era (best epoch)
     * @param testPerEra       test passages per era (final numbers)
     * @param words            words per passage
     * @param validationShare  fraction of each era's addresses given to validation
     * @param testShare        fraction of each era's addresses given to test
     */
    public record Sizes(int trainPerEra, int validationPerEra, int testPerEra, int words, double validationShare,
                        double testShare) {
        public Sizes {
            if (trainPerEra < 1 || validationPerEra < 1 || testPerEra < 1) {
                throw new IllegalArgumentException("Sizes: passages per era " + trainPerEra + "/" + validationPerEra
                        + "/" + testPerEra + " must all be >= 1");
            }
            if (words < 1) {
                throw new IllegalArgumentException("words: " + words + " must be >= 1");
            }
            if (!(validationShare > 0) || !(testShare > 0) || validationShare + testShare >= 1) {
                throw new IllegalArgumentException("validationShare, testShare: " + validationShare + ", " + testShare
                        + " must be > 0 and leave addresses for training");
            }
        }

        /**
         * Splits a budget of {@code maxPassages} over {@code eras} eras: 60% train, 15% validation, 25% test.
         */
        public static Sizes forBudget(int maxPassages, int eras, int words) {
            if (eras < 1) {
                throw new IllegalArgumentException("eras: " + eras + " must be >= 1");
            }
            int perEra = maxPassages / eras;
            if (perEra < 6) {
                throw new IllegalArgumentException("max-passages: " + maxPassages + " leaves " + perEra
                        + " passages per era; at least " + 6 * eras + " are needed for " + eras + " eras");
            }
            int validation = Math.max(1, (int) Math.round(0.15 * perEra));
            int test = Math.max(1, (int) Math.round(0.25 * perEra));
            return new Sizes(perEra - validation - test, validation, test, words, 0.2, 0.25);
        }
    }

    /** The three splits, passages in sampling order, and which addresses went where. */
    public record Splits(List<Passage> train, List<Passage> validation, List<Passage> test,
                         List<Integer> trainSpeeches, List<Integer> validationSpeeches, List<Integer> testSpeeches) {
    }

    private EraTask() {
    }

    /**
     * Cuts {@code text} into consecutive passages of exactly {@code words} whitespace-separated words; the
     * remainder shorter than {@code words} is dropped. Words are joined by one space.
     */
    public static List<String> passages(String text, int words) {
        if (text == null) {
            throw new IllegalArgumentException("text: null");
        }
        if (words < 1) {
            throw new IllegalArgumentException("words: " + words + " must be >= 1");
        }
        String stripped = text.strip();
        if (stripped.isEmpty()) {
            return List.of();
        }
        String[] w = stripped.split("\\s+");
        List<String> out = new ArrayList<>();
        for (int start = 0; start + words <= w.length; start += words) {
            out.add(String.join(" ", Arrays.asList(w).subList(start, start + words)));
        }
        return out;
    }

    /** The era index of {@code year}, or -1 when no era holds it. */
    public static int eraOf(int year, List<Era> eras) {
        for (int e = 0; e < eras.size(); e++) {
            if (eras.get(e).contains(year)) {
                return e;
            }
        }
        return -1;
    }

    /**
     * Splits the addresses by era into train, validation and test and samples balanced passages from each.
     *
     * <p>Per era (in era order), its addresses are shuffled by one {@code SplittableRandom(seed)}; the first
     * {@code ceil(testShare n)} go to test, the next {@code ceil(validationShare n)} to validation, the rest to
     * train. Each split then takes the same number of passages from every era: the requested count, or fewer
     * if an era has fewer passages in that split (the smallest era sets the count, so the classes stay
     * balanced). Same inputs and seed: the same passages in the same order.
     *
     * @throws IllegalArgumentException when an era has fewer than 3 addresses (it could not appear in every
     *                                  split)
     */
    public static Splits split(List<Speech> speeches, List<Era> eras, Sizes sizes, long seed) {
        if (speeches == null || eras == null || sizes == null) {
            throw new IllegalArgumentException("speeches, eras, sizes: null");
        }
        if (eras.size() < 2) {
            throw new IllegalArgumentException("eras: " + eras.size() + " given, a classification needs at least 2");
        }
        List<List<Integer>> byEra = new ArrayList<>();
        for (int e = 0; e < eras.size(); e++) {
            byEra.add(new ArrayList<>());
        }
        for (int s = 0; s < speeches.size(); s++) {
            int e = eraOf(speeches.get(s).year(), eras);
            if (e >= 0) {
                byEra.get(e).add(s);
            }
        }
        SplittableRandom rng = new SplittableRandom(seed);
        List<List<Integer>> test = new ArrayList<>();
        List<List<Integer>> validation = new ArrayList<>();
        List<List<Integer>> train = new ArrayList<>();
        for (int e = 0; e < eras.size(); e++) {
            List<Integer> ids = byEra.get(e);
            if (ids.size() < 3) {
                throw new IllegalArgumentException("eras: '" + eras.get(e).name() + "' has " + ids.size()
                        + " addresses, at least 3 are needed (one per split)");
            }
            shuffle(ids, rng);
            int n = ids.size();
            int nTest = Math.min(n - 2, Math.max(1, (int) Math.ceil(sizes.testShare() * n)));
            int nVal = Math.min(n - nTest - 1, Math.max(1, (int) Math.ceil(sizes.validationShare() * n)));
            test.add(List.copyOf(ids.subList(0, nTest)));
            validation.add(List.copyOf(ids.subList(nTest, nTest + nVal)));
            train.add(List.copyOf(ids.subList(nTest + nVal, n)));
        }
        return new Splits(
                sample(speeches, train, sizes.trainPerEra(), sizes.words(), rng),
                sample(speeches, validation, sizes.validationPerEra(), sizes.words(), rng),
                sample(speeches, test, sizes.testPerEra(), sizes.words(), rng),
                flatten(train), flatten(validation), flatten(test));
    }

    /** Balanced round-robin sampling of one split; see {@link #split}. */
    private static List<Passage> sample(List<Speech> speeches, List<List<Integer>> byEra, int perEra, int words,
                                        SplittableRandom rng) {
        List<List<List<Passage>>> pools = new ArrayList<>();
        int available = Integer.MAX_VALUE;
        for (int e = 0; e < byEra.size(); e++) {
            List<List<Passage>> perSpeech = new ArrayList<>();
            int count = 0;
            for (int s : byEra.get(e)) {
                List<String> parts = passages(speeches.get(s).text(), words);
                List<Passage> ps = new ArrayList<>();
                for (int p = 0; p < parts.size(); p++) {
                    ps.add(new Passage(parts.get(p), e, s, p));
                }
                shuffle(ps, rng);
                perSpeech.add(ps);
                count += ps.size();
            }
            pools.add(perSpeech);
            available = Math.min(available, count);
        }
        int take = Math.min(perEra, available);
        List<Passage> out = new ArrayList<>();
        for (List<List<Passage>> perSpeech : pools) {
            int taken = 0;
            for (int round = 0; taken < take; round++) {
                for (List<Passage> ps : perSpeech) {
                    if (round < ps.size() && taken < take) {
                        out.add(ps.get(round));
                        taken++;
                    }
                }
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** Passages per era of a split, in era order. */
    public static int[] countPerEra(List<Passage> split, int eras) {
        int[] c = new int[eras];
        for (Passage p : split) {
            c[p.era()]++;
        }
        return c;
    }

    /** Addresses per era in the data, for the report. */
    public static Map<String, Integer> speechesPerEra(List<Speech> speeches, List<Era> eras) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (Era e : eras) {
            m.put(e.name(), 0);
        }
        for (Speech s : speeches) {
            int e = eraOf(s.year(), eras);
            if (e >= 0) {
                m.merge(eras.get(e).name(), 1, Integer::sum);
            }
        }
        return m;
    }

    private static List<Integer> flatten(List<List<Integer>> lists) {
        List<Integer> out = new ArrayList<>();
        for (List<Integer> l : lists) {
            out.addAll(l);
        }
        Collections.sort(out);
        return Collections.unmodifiableList(out);
    }

    private static <T> void shuffle(List<T> list, SplittableRandom rng) {
        for (int i = list.size() - 1; i > 0; i--) {
            Collections.swap(list, i, rng.nextInt(i + 1));
        }
    }
}
