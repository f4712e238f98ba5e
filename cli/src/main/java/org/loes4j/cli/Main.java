package org.loes4j.cli;

import java.io.PrintWriter;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.loes4j.cli.demo.DemoCommand;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code loes}. Exit codes: 0 success; 2 bad input, usage, or what the machine refused (a
 * full disk, a read-only output, too little memory): one line {@code loes: error: ...} on stderr naming the
 * option or file; 1 an internal error (a bug): one line naming the exception and the file holding its stack
 * trace. See {@link Failures}.
 */
@Command(name = "loes",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Find which layers of an encoder carry a task, and train probes on them.",
        subcommands = {DoctorCommand.class, DemoCommand.class, ExtractCommand.class, SelectCommand.class,
                ProbeCommand.class, SynthCommand.class, SplitCommand.class, TrainCommand.class, EvaluateCommand.class,
                PredictCommand.class, CompareCommand.class, ReportCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit code for bad input and usage errors. */
    public static final int EXIT_BAD_INPUT = 2;
    /** Exit code for internal errors. */
    public static final int EXIT_INTERNAL = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI with the given streams and returns the exit code (tests call this). */
    public static int run(String[] args, PrintWriter out, PrintWriter stderr) {
        configureLogging();
        LineTracker tracker = new LineTracker(stderr);
        // Errors start on a line of their own even when a progress bar (\r-redrawn, no newline) was on screen.
        PrintWriter err = new PrintWriter(tracker, true) {
            @Override
            public void println(String line) {
                if (line != null && line.startsWith("loes: ") && tracker.midLine()) {
                    super.println();
                }
                super.println(line);
            }
        };
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> Failures.report(ex, parseResult, args, err));
        cl.setParameterExceptionHandler((ex, args1) -> {
            err.println("loes: error: " + Failures.usage(ex));
            err.flush();
            return EXIT_BAD_INPUT;
        });
        try {
            return cl.execute(args);
        } catch (Error e) {
            // picocli hands only Exceptions to the handler above; Errors (out of memory, a fault in a mapped
            // file) come through here.
            return Failures.report(e, cl.getParseResult(), args, err);
        }
    }

    /** One line per record on stderr: {@code [loes] INFO message}. */
    private static void configureLogging() {
        Logger root = Logger.getLogger("");
        for (var h : root.getHandlers()) {
            root.removeHandler(h);
        }
        ConsoleHandler h = new ConsoleHandler();
        h.setFormatter(new Formatter() {
            @Override
            public String format(LogRecord r) {
                return "[loes] " + r.getLevel().getName() + " " + formatMessage(r) + System.lineSeparator();
            }
        });
        h.setLevel(Level.ALL);
        root.addHandler(h);
        root.setLevel(Boolean.getBoolean("loes4j.quiet") ? Level.WARNING : Level.INFO);
    }

    /** Passes text through and remembers whether the last character written ended a line. */
    private static final class LineTracker extends java.io.Writer {
        private final PrintWriter target;
        private volatile boolean midLine;

        LineTracker(PrintWriter target) {
            this.target = target;
        }

        boolean midLine() {
            return midLine;
        }

        @Override
        public void write(char[] buf, int off, int len) {
            if (len > 0) {
                target.write(buf, off, len);
                midLine = buf[off + len - 1] != '\n';
            }
        }

        @Override
        public void flush() {
            target.flush();
        }

        @Override
        public void close() {
            target.flush();
        }
    }
}
