package org.loes4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** predict's CSV fields: RFC 4180 quoting and no formula injection (CWE-1236). */
class CsvQuotingTest {
    @Test
    void fieldsAreQuotedPerRfc4180() {
        assertEquals("plain", PredictCommand.quote("plain"));
        assertEquals("\"a,b\"", PredictCommand.quote("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", PredictCommand.quote("say \"hi\""));
        assertEquals("\"two\nlines\"", PredictCommand.quote("two\nlines"));
        assertEquals("\"cr\rhere\"", PredictCommand.quote("cr\rhere"));
    }

    @Test
    void formulaPrefixesAreNeutralisedButNumbersAreNot() {
        assertEquals("'=SUM(A1:A9)", PredictCommand.quote("=SUM(A1:A9)"));
        assertEquals("'+cmd", PredictCommand.quote("+cmd"));
        assertEquals("'-x", PredictCommand.quote("-x"));
        assertEquals("'@user", PredictCommand.quote("@user"));
        assertEquals("'\tTAB", PredictCommand.quote("\tTAB"));
        assertEquals("\"'=1,2\"", PredictCommand.quote("=1,2"));
        assertEquals("-1.5", PredictCommand.quote("-1.5"));
        assertEquals("+3", PredictCommand.quote("+3"));
        assertEquals("'-", PredictCommand.quote("-"));
    }
}
