package org.loes4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.ReadOnlyFileSystemException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.loes4j.linalg.Backends;
import org.loes4j.linalg.LibraryInfo;

import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * How a command's failure reaches the user: an exit code and one line on stderr.
 * <ul>
 *   <li>Exit 2, {@code loes: error: <message>}: what the user can fix or the machine refused. Bad input
 *       ({@link BadInputException}, {@link IllegalArgumentException}); I/O failures ({@link IOException},
 *       {@link UncheckedIOException}, {@link ReadOnlyFileSystemException}), named by the option whose path
 *       failed; a fault in a memory-mapped file (disk full, or a file truncated while in use), which the JVM
 *       reports as an {@link InternalError}; an unknown or unavailable backend named with
 *       {@code -Dloes4j.backend}; and {@link OutOfMemoryError}, with the command's main input, its size and what
 *       helps.</li>
 *   <li>Exit 1, {@code loes: internal error: <exception>; full trace in <file>}: everything else, which is a
 *       bug; the stack trace goes to a file under {@code $TMPDIR} (else {@code java.io.tmpdir}), not to the
 *       terminal.</li>
 * </ul>
 */
final class Failures {
    /** Options holding a command's main input, in the order they are looked for in an out-of-memory message. */
    private static final List<String> MAIN_INPUTS = List.of("--embeddings", "--train-embeddings", "--input");
    /** What lowers the memory a command needs, by command, for the out-of-memory message. */
    private static final Map<String, String> MEMORY_HINTS = Map.of(
            "select", "a --calibration-fraction below 1.0 (0.2, the default, scores a fifth of the rows), --streaming "
                    + "(memory independent of N; needs N >= the layers' total width) or fewer --layers",
            "compare", "a smaller --calibration-fraction or fewer --methods",
            "train", "fewer --layers",
            "extract", "a smaller --chunk-rows or --batch",
            "synth", "a smaller --n, --layers or --dim",
            "demo", "--quick or a smaller --max-passages");
    private static final String MAPPED_FAULT = "a fault occurred in an unsafe memory access operation";

    private Failures() {
    }

    /**
     * Reports {@code failure} of the command {@code parsed} (the top-level parse result; null if parsing did not
     * finish) on {@code err} and returns the exit code.
     */
    static int report(Throwable failure, ParseResult parsed, String[] args, PrintWriter err) {
        ParseResult command = deepest(parsed);
        // Out of memory or a mapped-file fault in a worker thread reaches here wrapped by the executor.
        Throwable cause = failure;
        for (Throwable c = failure; c != null; c = c.getCause()) {
            if (c instanceof OutOfMemoryError || c instanceof InternalError && MAPPED_FAULT.equals(c.getMessage())) {
                cause = c;
                break;
            }
        }
        String message = switch (cause) {
            case BadInputException e -> badInput(e.getMessage(), command);
            case IllegalArgumentException e -> badInput(e.getMessage(), command);
            case UncheckedIOException e -> io(e.getCause(), command);
            case IOException e -> io(e, command);
            case ReadOnlyFileSystemException e -> "a file could not be written: the file system is read-only"
                    + givenFiles(command);
            // -Dloes4j.backend=NAME in LOES_JAVA_OPTS (the --backend option is checked while parsing).
            case IllegalStateException e when e.getMessage() != null
                    && e.getMessage().startsWith(Backends.BACKEND_PROPERTY + ": ") -> "-D" + e.getMessage();
            case OutOfMemoryError e -> outOfMemory(e, command);
            case InternalError e when MAPPED_FAULT.equals(e.getMessage()) -> "a memory-mapped file failed (the disk is "
                    + "full, or a file was truncated while loes used it)" + givenFiles(command);
            default -> null;
        };
        if (message != null) {
            err.println("loes: error: " + oneLine(message));
            err.flush();
            return Main.EXIT_BAD_INPUT;
        }
        return internal(failure, args, err);
    }

    /** The message of a usage error picocli found (unknown option, bad value, missing option), as one line. */
    static String usage(CommandLine.ParameterException e) {
        CommandLine c = e.getCommandLine();
        String name = c.getCommandSpec().qualifiedName(" ");
        return oneLine(e.getMessage()) + " (see '" + name + " --help')";
    }

    /**
     * A library's message names its parameter ({@code pooling: 'x' is not one of cls, mean}); where the command
     * has the option of that name it is named as the option ({@code --pooling: ...}).
     */
    static String badInput(String message, ParseResult command) {
        String m = message == null ? "invalid input" : message;
        int colon = m.indexOf(": ");
        if (command != null && colon > 0) {
            String key = m.substring(0, colon);
            if (key.matches("[a-z][A-Za-z]*")) {
                String option = "--" + key.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
                if (command.commandSpec().findOption(option) != null) {
                    return option + m.substring(colon);
                }
            }
        }
        return m;
    }

    /** An I/O failure, named by the option whose path (or a file beside or inside it) failed. */
    static String io(IOException e, ParseResult command) {
        if (e instanceof FileSystemException f && f.getFile() != null) {
            Path file = Path.of(f.getFile());
            String reason = f.getReason() != null ? f.getReason()
                    : e instanceof AccessDeniedException ? "permission denied"
                    : e instanceof NoSuchFileException ? "no such file or directory"
                    : e.getClass().getSimpleName();
            String what = file + ": " + reason;
            for (OptionSpec o : pathOptions(command)) {
                Path given = o.getValue();
                if (relates(file, given)) {
                    return o.longestName() + (abs(given).equals(abs(file)) ? "" : " (" + given + ")") + ": " + what;
                }
            }
            return what;
        }
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        for (OptionSpec o : pathOptions(command)) {
            Path given = o.getValue();
            if (m.contains(given.toString()) || m.contains(abs(given).toString())) {
                return o.longestName() + ": " + m;
            }
        }
        return m;
    }

    /**
     * True when {@code file} is {@code given}, lies inside it, or is one of the hidden siblings loes writes
     * before moving an output into place ({@code .NAME.<random>.tmp}, {@code .NAME.partial-<random>}).
     */
    private static boolean relates(Path file, Path given) {
        Path f = abs(file);
        Path g = abs(given);
        if (f.startsWith(g)) {
            return true;
        }
        return g.getFileName() != null && f.getFileName() != null && g.getParent() != null
                && g.getParent().equals(f.getParent()) && f.getFileName().toString().startsWith("." + g.getFileName());
    }

    private static Path abs(Path p) {
        return p.toAbsolutePath().normalize();
    }

    private static String outOfMemory(OutOfMemoryError e, ParseResult command) {
        long heapMiB = Runtime.getRuntime().maxMemory() >> 20;
        StringBuilder m = new StringBuilder("out of memory (").append(e.getMessage()).append(", Java heap at most ")
                .append(heapMiB).append(" MiB)");
        String name = command == null ? "loes" : command.commandSpec().name();
        if (command != null) {
            for (String input : MAIN_INPUTS) {
                OptionSpec o = command.matchedOption(input);
                if (o != null && o.getValue() instanceof Path p) {
                    m.append(" on ").append(input).append(' ').append(p).append(" (").append(size(p)).append(')');
                    break;
                }
            }
        }
        m.append(": try ");
        String hint = MEMORY_HINTS.get(name);
        if (hint != null) {
            m.append(hint).append(", or ");
        }
        long suggestGiB = Math.max(2, 2 * ((heapMiB + 1023) >> 10));
        m.append("a larger heap, e.g. LOES_JAVA_OPTS=-Xmx").append(suggestGiB).append("g ./loes ").append(name)
                .append(" ...");
        return m.toString();
    }

    /** The size of a file, or of the .npy files of a directory, for messages. */
    private static String size(Path p) {
        try {
            long bytes = 0;
            if (Files.isDirectory(p)) {
                try (DirectoryStream<Path> s = Files.newDirectoryStream(p, "*.npy")) {
                    for (Path f : s) {
                        bytes += Files.size(f);
                    }
                }
            } else {
                bytes = Files.size(p);
            }
            return bytes >= 10L << 30 ? (bytes >> 30) + " GiB" : (bytes >> 20) + " MiB";
        } catch (IOException e) {
            return "size unknown";
        }
    }

    /** {@code "; files given: --embeddings a.npy, --out b"} for messages that cannot tell which file failed. */
    private static String givenFiles(ParseResult command) {
        List<String> given = new ArrayList<>();
        for (OptionSpec o : pathOptions(command)) {
            given.add(o.longestName() + " " + o.getValue());
        }
        return given.isEmpty() ? "" : "; files given: " + String.join(", ", given);
    }

    /** The matched options of the command whose value is a path. */
    private static List<OptionSpec> pathOptions(ParseResult command) {
        List<OptionSpec> out = new ArrayList<>();
        if (command == null) {
            return out;
        }
        for (OptionSpec o : command.matchedOptions()) {
            if (o.getValue() instanceof Path) {
                out.add(o);
            }
        }
        return out;
    }

    /** The parse result of the subcommand that ran (the top level when none did). */
    static ParseResult deepest(ParseResult parsed) {
        if (parsed == null) {
            return null;
        }
        ParseResult p = parsed;
        while (p.subcommand() != null) {
            p = p.subcommand();
        }
        return p;
    }

    /** A bug: one line naming the exception and a file with everything else. */
    private static int internal(Throwable failure, String[] args, PrintWriter err) {
        Path log = null;
        try {
            String tmp = System.getenv("TMPDIR");
            Path dir = Path.of(tmp != null && !tmp.isBlank() ? tmp : System.getProperty("java.io.tmpdir"));
            String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss"));
            log = dir.resolve("loes-" + ProcessHandle.current().pid() + "-" + stamp + ".log");
            java.io.StringWriter trace = new java.io.StringWriter();
            try (PrintWriter w = new PrintWriter(trace)) {
                w.println("loes4j " + LibraryInfo.version() + " on JDK " + LibraryInfo.jdk() + ", " + LibraryInfo.os());
                w.println("arguments: " + (args == null ? "?" : String.join(" ", args)));
                failure.printStackTrace(w);
            }
            Files.writeString(log, trace.toString());
        } catch (IOException | RuntimeException e) {
            log = null;
        }
        if (log != null) {
            err.println("loes: internal error: " + oneLine(failure.toString()) + "; full trace in " + log);
        } else {
            // Could not write the trace file: the trace goes to the terminal rather than nowhere.
            err.println("loes: internal error: " + oneLine(failure.toString()) + " (could not write a trace file)");
            failure.printStackTrace(err);
        }
        err.flush();
        return Main.EXIT_INTERNAL;
    }

    /** {@code s} with its line breaks folded into spaces: every message is one line. */
    static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
