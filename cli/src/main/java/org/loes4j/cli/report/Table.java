package org.loes4j.cli.report;

import java.util.ArrayList;
import java.util.List;

/**
 * An HTML table built row by row: a header row, then rows of cells; numbers are right-aligned in tabular
 * figures, and a row can be highlighted (a selected layer). Text cells are escaped.
 */
public final class Table {
    /** One cell: its markup and whether it is a number (right-aligned). */
    public record Cell(String html, boolean numeric) {
        public Cell {
            if (html == null) {
                throw new IllegalArgumentException("html: null");
            }
        }
    }

    private final List<String> header;
    private final List<String> rows = new ArrayList<>();

    /** A table with these column headings (plain text). */
    public Table(String... header) {
        this.header = List.of(header);
    }

    /** A text cell (escaped). */
    public static Cell text(String s) {
        return new Cell(HtmlPage.esc(s), false);
    }

    /** A number already formatted as text (escaped, right-aligned). */
    public static Cell num(String s) {
        return new Cell(HtmlPage.esc(s), true);
    }

    /** A number with four decimals, {@code n/a} when not finite. */
    public static Cell num(double v) {
        return num(HtmlPage.fmt(v));
    }

    /** A right-aligned cell of markup (e.g. {@link HtmlPage#plusMinus}). */
    public static Cell numHtml(String html) {
        return new Cell(html, true);
    }

    /** Appends a row; {@code highlight} marks it (class {@code sel}). */
    public Table row(boolean highlight, Cell... cells) {
        StringBuilder r = new StringBuilder(highlight ? "<tr class=\"sel\">" : "<tr>");
        for (Cell c : cells) {
            r.append(c.numeric() ? "<td class=\"n\">" : "<td>").append(c.html()).append("</td>");
        }
        rows.add(r.append("</tr>\n").toString());
        return this;
    }

    /** Appends a row of two cells, a heading cell and a text value (a key-value table). */
    public Table keyValue(String key, String value) {
        rows.add("<tr><th>" + HtmlPage.esc(key) + "</th><td>" + HtmlPage.esc(value) + "</td></tr>\n");
        return this;
    }

    /** Rows so far. */
    public int size() {
        return rows.size();
    }

    /** The table's markup. */
    public String toHtml() {
        StringBuilder h = new StringBuilder("<table>\n");
        if (!header.isEmpty()) {
            h.append("<tr>");
            for (String s : header) {
                h.append("<th>").append(HtmlPage.esc(s)).append("</th>");
            }
            h.append("</tr>\n");
        }
        rows.forEach(h::append);
        return h.append("</table>\n").toString();
    }
}
