package org.loes4j.cli;

import org.loes4j.linalg.LibraryInfo;

import picocli.CommandLine;

/** {@code loes --version}. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"loes4j " + LibraryInfo.version(), "JDK " + LibraryInfo.jdk(), LibraryInfo.os()};
    }
}
