package org.loes4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ProgressTextTest {
    @Test
    void durationsReadAsAPersonWouldWriteThem() {
        assertEquals("0.0s", ProgressText.duration(0));
        assertEquals("9.5s", ProgressText.duration(9.49));
        assertEquals("45s", ProgressText.duration(45.2));
        assertEquals("1m00s", ProgressText.duration(59.6));
        assertEquals("2m05s", ProgressText.duration(125));
        assertEquals("1h02m", ProgressText.duration(3725));
        assertEquals("?", ProgressText.duration(Double.NaN));
        assertEquals("?", ProgressText.duration(-1));
        assertEquals("?", ProgressText.duration(Double.POSITIVE_INFINITY));
    }
}
