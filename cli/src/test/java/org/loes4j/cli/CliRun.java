package org.loes4j.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * One in-process run of the CLI as the tests drive it: {@link Main#run} with captured stdout and stderr.
 *
 * @param code the exit code
 * @param out  everything written to stdout
 * @param err  everything written to stderr
 */
public record CliRun(int code, String out, String err) {

    /** Runs {@code loes args...} in this JVM. */
    public static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(code, out.toString(), err.toString());
    }
}
