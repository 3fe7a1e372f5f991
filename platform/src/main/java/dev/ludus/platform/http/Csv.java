package dev.ludus.platform.http;

/** RFC 4180 quoting for the CSV exports. */
final class Csv {
    private Csv() {
    }

    static String field(String s) {
        if (s == null) {
            return "";
        }
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }

    static String value(Object v) {
        return v == null ? "" : field(String.valueOf(v));
    }
}
