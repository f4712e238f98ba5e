package org.loes4j.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class EraTaskTest {

    /** Speeches of every year 1790..2021 whose word counts vary from 250 to 2249, words tagged by speech. */
    private static List<Speech> corpus() {
        SplittableRandom rng = new SplittableRandom(3);
        List<Speech> out = new ArrayList<>();
        for (int year = 1790; year <= 2021; year++) {
            int words = 250 + rng.nextInt(2000);
            StringBuilder sb = new StringBuilder();
            for (int w = 0; w < words; w++) {
                sb.append(w % 17 == 0 ? "\n\t" : "  ").append("s").append(year).append('w').append(w);
            }
            out.add(new Speech(year, "P" + year, "none", sb.toString(), year + ".json"));
        }
        return out;
    }

    @Test
    void passagesAreConsecutiveFullChunksOfWords() {
        List<String> p = EraTask.passages("  a b\tc\n d e f g  ", 3);
        assertEquals(List.of("a b c", "d e f"), p, "the remainder 'g' is dropped");
        assertEquals(List.of(), EraTask.passages("a b", 3));
        assertEquals(List.of(), EraTask.passages("   ", 1));
        assertEquals(List.of("a", "b"), EraTask.passages("a b", 1));
        assertThrows(IllegalArgumentException.class, () -> EraTask.passages("a", 0));
        String text = String.join(" ", java.util.Collections.nCopies(1000, "w"));
        for (String s : EraTask.passages(text, 120)) {
            assertEquals(120, s.split(" ").length);
        }
        assertEquals(1000 / 120, EraTask.passages(text, 120).size());
    }

    @Test
    void everyYearFallsInExactlyOneEra() {
        for (int year = 1790; year <= 2021; year++) {
            int hits = 0;
            for (EraTask.Era e : EraTask.ERAS) {
                hits += e.contains(year) ? 1 : 0;
            }
            assertEquals(1, hits, "year " + year);
        }
        assertEquals(-1, EraTask.eraOf(1789, EraTask.ERAS));
    }

    @Test
    void noSpeechSitsInTwoSplits() {
        List<Speech> speeches = corpus();
        EraTask.Splits s = EraTask.split(speeches, EraTask.ERAS, EraTask.Sizes.forBudget(1500, 5, 100), 42);
        Set<Integer> train = new HashSet<>(s.trainSpeeches());
        Set<Integer> val = new HashSet<>(s.validationSpeeches());
        Set<Integer> test = new HashSet<>(s.testSpeeches());
        for (int id : train) {
            assertFalse(val.contains(id) || test.contains(id), "speech " + id);
        }
        for (int id : val) {
            assertFalse(test.contains(id), "speech " + id);
        }
        assertEquals(speeches.size(), train.size() + val.size() + test.size(), "every speech is used once");
        checkPassagesFrom(s.train(), train, speeches);
        checkPassagesFrom(s.validation(), val, speeches);
        checkPassagesFrom(s.test(), test, speeches);
    }

    /** Each passage belongs to a speech of its split, carries that speech's era, and is a chunk of its text. */
    private static void checkPassagesFrom(List<EraTask.Passage> ps, Set<Integer> ids, List<Speech> speeches) {
        Set<String> seen = new HashSet<>();
        for (EraTask.Passage p : ps) {
            assertTrue(ids.contains(p.speech()), "passage of speech " + p.speech() + " outside its split");
            Speech sp = speeches.get(p.speech());
            assertEquals(EraTask.eraOf(sp.year(), EraTask.ERAS), p.era());
            assertTrue(p.text().startsWith("s" + sp.year() + "w"), p.text());
            assertTrue(seen.add(p.speech() + ":" + p.part()), "passage drawn twice");
        }
    }

    @Test
    void splitsAreBalancedAndOfTheRequestedSize() {
        EraTask.Sizes sizes = EraTask.Sizes.forBudget(1500, 5, 100);
        assertEquals(300, sizes.trainPerEra() + sizes.validationPerEra() + sizes.testPerEra());
        EraTask.Splits s = EraTask.split(corpus(), EraTask.ERAS, sizes, 42);
        for (int c : EraTask.countPerEra(s.train(), 5)) {
            assertEquals(sizes.trainPerEra(), c);
        }
        for (int c : EraTask.countPerEra(s.validation(), 5)) {
            assertEquals(sizes.validationPerEra(), c);
        }
        for (int c : EraTask.countPerEra(s.test(), 5)) {
            assertEquals(sizes.testPerEra(), c);
        }
    }

    @Test
    void aShortEraLimitsEveryEraToTheSameCount() {
        List<Speech> speeches = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            speeches.add(new Speech(1800 + i, "A", "x", "w ".repeat(300), "a" + i));
            speeches.add(new Speech(1900 + i, "B", "x", "w ".repeat(30), "b" + i));
        }
        List<EraTask.Era> eras = List.of(new EraTask.Era("a", 1800, 1899), new EraTask.Era("b", 1900, 1999));
        EraTask.Splits s = EraTask.split(speeches, eras, new EraTask.Sizes(100, 100, 100, 10, 0.2, 0.2), 1);
        int[] train = EraTask.countPerEra(s.train(), 2);
        assertEquals(train[0], train[1]);
        assertTrue(train[0] > 0 && train[0] <= 3 * 4, "era b has only 3 passages per speech");
    }

    @Test
    void sameSeedSameSplitOtherSeedOtherSplit() {
        List<Speech> speeches = corpus();
        EraTask.Sizes sizes = EraTask.Sizes.forBudget(500, 5, 100);
        EraTask.Splits a = EraTask.split(speeches, EraTask.ERAS, sizes, 42);
        EraTask.Splits b = EraTask.split(speeches, EraTask.ERAS, sizes, 42);
        EraTask.Splits c = EraTask.split(speeches, EraTask.ERAS, sizes, 43);
        assertEquals(a, b);
        assertNotEquals(a.testSpeeches(), c.testSpeeches());
    }

    @Test
    void badSizesAndTooFewSpeechesAreRejectedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EraTask.Sizes.forBudget(20, 5, 100));
        assertTrue(e.getMessage().startsWith("max-passages"), e.getMessage());
        List<Speech> two = List.of(new Speech(1800, "A", "x", "a b", "1"), new Speech(1801, "A", "x", "a b", "2"),
                new Speech(1900, "B", "x", "a b", "3"));
        List<EraTask.Era> eras = List.of(new EraTask.Era("a", 1800, 1899), new EraTask.Era("b", 1900, 1999));
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> EraTask.split(two, eras, new EraTask.Sizes(1, 1, 1, 1, 0.2, 0.2), 1));
        assertTrue(e2.getMessage().contains("'a' has 2 addresses"), e2.getMessage());
    }
}
