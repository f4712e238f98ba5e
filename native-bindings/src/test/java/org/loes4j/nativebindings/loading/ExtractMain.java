package org.loes4j.nativebindings.loading;

import java.nio.file.Path;
import java.util.List;

/** Child-process entry for {@link LibraryCacheTest}: {@code jar root name entry...}; prints the directory. */
public final class ExtractMain {
    private ExtractMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = LibraryCache.extract(Path.of(args[0]), List.of(args).subList(3, args.length), Path.of(args[1]), args[2]);
        System.out.println(dir);
    }
}
