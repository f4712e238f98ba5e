package org.loes4j.cli.report;

import java.util.Base64;
import java.util.Locale;

/**
 * One self-contained HTML page, built top to bottom: styles inline, images as base64 PNG data URIs, no
 * script and nothing fetched, so the file can be mailed, archived or opened offline and looks the same.
 * Everything given as text is escaped; only the {@code raw} methods take markup.
 */
public final class HtmlPage {
    private static final String STYLE = """
            body{font-family:system-ui,-apple-system,'DejaVu Sans',sans-serif;max-width:960px;\
            margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
            h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:1.8em;\
            border-bottom:1px solid #ddd;padding-bottom:.2em}h3{font-size:1.02em;margin:1.2em 0 .3em}
            table{border-collapse:collapse;margin:.6em 0;font-size:.92em}\
            th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}\
            th{background:#f3f3f3}td{overflow-wrap:anywhere}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
            tr.sel td{background:#fde8e8}img{max-width:100%;height:auto;border:1px solid #eee}
            .muted{color:#666;font-size:.9em}code{background:#f5f5f5;padding:0 .2em}
            details{margin:.3em 0}summary{cursor:pointer}details>table{margin-left:1.2em}
            nav a{margin-right:1em}
            """;

    private final StringBuilder b = new StringBuilder(64 * 1024);
    private boolean finished;

    /** Starts the page: doctype, head with {@code title} and the styles, the opening body tag. */
    public HtmlPage(String title) {
        if (title == null) {
            throw new IllegalArgumentException("title: null");
        }
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(esc(title)).append("</title>\n<style>\n").append(STYLE)
                .append("</style>\n</head>\n<body>\n");
    }

    /** {@code <h1>} .. {@code <h3>}; {@code id} (may be null) is the anchor others link to. */
    public HtmlPage heading(int level, String id, String text) {
        if (level < 1 || level > 3) {
            throw new IllegalArgumentException("level: " + level + " must be 1, 2 or 3");
        }
        b.append("<h").append(level);
        if (id != null) {
            b.append(" id=\"").append(esc(id)).append('"');
        }
        b.append('>').append(esc(text)).append("</h").append(level).append(">\n");
        return this;
    }

    /** A paragraph of plain text. */
    public HtmlPage paragraph(String text) {
        b.append("<p>").append(esc(text)).append("</p>\n");
        return this;
    }

    /** A paragraph of plain text in the muted style (remarks, attributions). */
    public HtmlPage muted(String text) {
        b.append("<p class=\"muted\">").append(esc(text)).append("</p>\n");
        return this;
    }

    /** A bulleted list of plain-text items (nothing when empty). */
    public HtmlPage list(Iterable<String> items) {
        StringBuilder li = new StringBuilder();
        for (String s : items) {
            li.append("<li>").append(esc(s)).append("</li>\n");
        }
        if (!li.isEmpty()) {
            b.append("<ul>\n").append(li).append("</ul>\n");
        }
        return this;
    }

    /** A PNG image embedded as a data URI, with its alternative text. */
    public HtmlPage image(String alt, byte[] png) {
        b.append(image(alt, png, true));
        return this;
    }

    /** The markup of an embedded PNG, for callers assembling a fragment (e.g. inside {@code <details>}). */
    public static String image(String alt, byte[] png, boolean newline) {
        if (png == null || png.length < 8) {
            throw new IllegalArgumentException("png: no image");
        }
        return "<img alt=\"" + esc(alt) + "\" src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(png)
                + "\">" + (newline ? "\n" : "");
    }

    /** A table. */
    public HtmlPage table(Table t) {
        b.append(t.toHtml());
        return this;
    }

    /**
     * A folded block: {@code <details>} with {@code summary} (plain text) and {@code innerHtml} (markup,
     * already escaped by its builder), open from the start when {@code open}.
     */
    public HtmlPage details(String summary, String innerHtml, boolean open) {
        b.append(details(summary, null, innerHtml, open));
        return this;
    }

    /** The markup of a folded block; {@code note} (may be null) follows the summary in the muted style. */
    public static String details(String summary, String note, String innerHtml, boolean open) {
        return "<details" + (open ? " open" : "") + "><summary>" + esc(summary)
                + (note == null || note.isEmpty() ? "" : " <span class=\"muted\">" + esc(note) + "</span>")
                + "</summary>\n" + innerHtml + "</details>\n";
    }

    /** Markup as given (a fragment some other builder in this package made). */
    public HtmlPage raw(String html) {
        b.append(html);
        return this;
    }

    /** Closes body and html and returns the page; the builder takes nothing after this. */
    public String finish() {
        if (!finished) {
            b.append("</body>\n</html>\n");
            finished = true;
        }
        return b.toString();
    }

    /** HTML-escapes text for element content and attribute values. */
    public static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** {@code v} with four decimals, or {@code n/a} when it is not finite (a missing or undefined number). */
    public static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "n/a";
    }

    /** {@code v} with three significant digits ({@code 0.0123}, {@code 4.56e-05}), or {@code n/a}. */
    public static String sig(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3g", v) : "n/a";
    }

    /** A p-value: {@code 0.0123}, {@code <0.0001}, or {@code -} when there was no test. */
    public static String pValue(double p) {
        if (!Double.isFinite(p)) {
            return "-";
        }
        return p < 1e-4 ? "<0.0001" : String.format(Locale.ROOT, "%.4f", p);
    }

    /** Markup of {@code mean &plusmn; spread} (four decimals; a missing spread reads 0, a missing mean n/a). */
    public static String plusMinus(double mean, double spread) {
        return fmt(mean) + " &plusmn; " + fmt(Double.isFinite(spread) ? spread : 0.0);
    }
}
