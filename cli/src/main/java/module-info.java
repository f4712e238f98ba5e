/** The {@code loes} command line (picocli). */
module org.loes4j.cli {
    requires org.loes4j.linalg;
    requires org.loes4j.data;
    requires org.loes4j.nativebindings;
    requires org.loes4j.encoders;
    requires org.loes4j.selection;
    requires org.loes4j.training;
    requires info.picocli;
    requires java.logging;
    requires java.desktop;
    requires org.jfree.jfreechart;

    opens org.loes4j.cli to info.picocli;
    opens org.loes4j.cli.demo to info.picocli;
}
