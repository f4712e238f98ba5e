package org.loes4j.cli.demo;

/**
 * One State of the Union address.
 *
 * @param year      year it was delivered
 * @param president who delivered it
 * @param party     the president's party as the data set spells it ({@code "none"} for Washington)
 * @param text      the full text
 * @param source    the file it came from inside the package tarball
 */
public record Speech(int year, String president, String party, String text, String source) {
    public Speech {
        if (president == null || party == null || text == null || source == null) {
            throw new IllegalArgumentException("Speech: null field in " + source);
        }
    }
}
