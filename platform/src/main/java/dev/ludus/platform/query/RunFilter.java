package dev.ludus.platform.query;

import dev.ludus.platform.BadInput;
import dev.ludus.platform.store.Marks;
import dev.ludus.platform.store.RunRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * The run filter language: comparisons over {@code params.<name>}, {@code summary.<key>}, {@code status},
 * {@code seed}, {@code name}, combined with {@code and}, {@code or}, {@code not} and parentheses, e.g.
 * {@code params.lr < 0.01 and summary.eval/return_mean >= 400}, and {@code tag:NAME} for runs carrying a tag
 * ({@code tag:baseline and not archived = true}). Parsed into a tree and evaluated on
 * each run's values; it never reaches SQL.
 */
public final class RunFilter {

    /** A node of the parsed expression. */
    public sealed interface Expr permits And, Or, Not, Compare, HasTag {
        boolean test(RunRecord run);
    }

    public record And(Expr left, Expr right) implements Expr {
        public boolean test(RunRecord r) {
            return left.test(r) && right.test(r);
        }
    }

    public record Or(Expr left, Expr right) implements Expr {
        public boolean test(RunRecord r) {
            return left.test(r) || right.test(r);
        }
    }

    public record Not(Expr inner) implements Expr {
        public boolean test(RunRecord r) {
            return !inner.test(r);
        }
    }

    /** {@code tag:NAME}: the run carries the tag. */
    public record HasTag(String tag) implements Expr {
        public boolean test(RunRecord r) {
            return r.tags().contains(tag);
        }
    }

    /** {@code field op literal}; the literal is a Double, String or Boolean. */
    public record Compare(String field, String op, Object literal) implements Expr {
        public boolean test(RunRecord r) {
            Object v = RunValues.value(r, field);
            if (v == null) {
                return false;
            }
            int c;
            if (literal instanceof Double d) {
                if (!(v instanceof Number n)) {
                    return false;
                }
                c = Double.compare(n.doubleValue(), d);
            } else if (literal instanceof Boolean b) {
                if (!(v instanceof Boolean vb)) {
                    return false;
                }
                c = Boolean.compare(vb, b);
            } else {
                c = String.valueOf(v).compareTo((String) literal);
            }
            return switch (op) {
                case "=" -> c == 0;
                case "!=" -> c != 0;
                case "<" -> c < 0;
                case "<=" -> c <= 0;
                case ">" -> c > 0;
                default -> c >= 0;
            };
        }
    }

    private final String text;
    private final List<Token> tokens;
    private int pos;

    private record Token(String kind, String text, int at) {
    }

    private RunFilter(String text) {
        this.text = text;
        this.tokens = lex(text);
    }

    /** Parses a filter; blank means "everything" ({@code null}). @throws BadInput naming {@code filter} */
    public static Expr parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        if (text.length() > 2000) {
            throw new BadInput("filter", "filter: longer than 2000 characters");
        }
        RunFilter p = new RunFilter(text);
        Expr e = p.or();
        if (p.pos < p.tokens.size()) {
            throw p.error("unexpected '" + p.tokens.get(p.pos).text() + "'");
        }
        return e;
    }

    private Expr or() {
        Expr left = and();
        while (word("or")) {
            left = new Or(left, and());
        }
        return left;
    }

    private Expr and() {
        Expr left = unary();
        while (word("and")) {
            left = new And(left, unary());
        }
        return left;
    }

    private Expr unary() {
        if (word("not")) {
            return new Not(unary());
        }
        if (peek("(")) {
            pos++;
            Expr e = or();
            if (!peek(")")) {
                throw error("missing ')'");
            }
            pos++;
            return e;
        }
        if (pos < tokens.size() && tokens.get(pos).kind().equals("tag")) {
            return new HasTag(tokens.get(pos++).text());
        }
        return comparison();
    }

    private Expr comparison() {
        Token field = next("a field such as params.lr, summary.eval/return_mean, status, seed or name");
        if (!field.kind().equals("ident") || !RunValues.isField(field.text())) {
            throw error(field, "unknown field '" + field.text() + "'; use params.<name>, summary.<key>, status, seed, name, "
                    + "starred, archived, notes, sweepId or tag:NAME");
        }
        Token op = next("a comparison (= != < <= > >=)");
        if (!op.kind().equals("op")) {
            throw error(op, "expected a comparison (= != < <= > >=) after " + field.text());
        }
        Token lit = next("a value");
        Object value = switch (lit.kind()) {
            case "number" -> Double.parseDouble(lit.text());
            case "string" -> lit.text();
            case "ident" -> switch (lit.text()) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                default -> throw error(lit, "expected a number, 'string', true or false, got " + lit.text());
            };
            default -> throw error(lit, "expected a value, got '" + lit.text() + "'");
        };
        return new Compare(field.text(), op.text(), value);
    }

    private boolean word(String w) {
        if (pos < tokens.size() && tokens.get(pos).kind().equals("ident") && tokens.get(pos).text().equalsIgnoreCase(w)) {
            pos++;
            return true;
        }
        return false;
    }

    private boolean peek(String punct) {
        return pos < tokens.size() && tokens.get(pos).text().equals(punct) && tokens.get(pos).kind().equals("punct");
    }

    private Token next(String expected) {
        if (pos >= tokens.size()) {
            throw new BadInput("filter", "filter: expected " + expected + " at the end of '" + text + "'");
        }
        return tokens.get(pos++);
    }

    private BadInput error(String what) {
        int at = pos < tokens.size() ? tokens.get(pos).at() : text.length();
        return new BadInput("filter", "filter: " + what + " at position " + at + " of '" + text + "'");
    }

    private BadInput error(Token t, String what) {
        return new BadInput("filter", "filter: " + what + " at position " + t.at() + " of '" + text + "'");
    }

    /** Reads the NAME of {@code tag:NAME} (or {@code tag:'NAME'}) from {@code i}; returns where it ends. */
    private static int tag(String s, int i, int start, List<Token> out) {
        int from = i;
        boolean quoted = i < s.length() && (s.charAt(i) == '\'' || s.charAt(i) == '"');
        if (quoted) {
            int close = s.indexOf(s.charAt(i), i + 1);
            if (close < 0) {
                throw new BadInput("filter", "filter: unterminated string starting at position " + i);
            }
            from = i + 1;
            i = close;
        } else {
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || "_.-".indexOf(s.charAt(i)) >= 0)) {
                i++;
            }
        }
        String name = s.substring(from, i);
        if (!Marks.TAG.matcher(name).matches()) {
            throw new BadInput("filter", "filter: tag: needs a tag name (letters, digits, '_', '.', '-') at position "
                    + from + " of '" + s + "'");
        }
        out.add(new Token("tag", name, start));
        return quoted ? i + 1 : i;
    }

    private static List<Token> lex(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char ch = s.charAt(i);
            if (Character.isWhitespace(ch)) {
                i++;
            } else if (ch == '(' || ch == ')') {
                out.add(new Token("punct", String.valueOf(ch), i));
                i++;
            } else if ("=!<>".indexOf(ch) >= 0) {
                int start = i;
                String two = i + 1 < s.length() ? s.substring(i, i + 2) : "";
                if (two.equals("<=") || two.equals(">=") || two.equals("!=") || two.equals("==")) {
                    out.add(new Token("op", two.equals("==") ? "=" : two, start));
                    i += 2;
                } else if (ch == '!') {
                    throw new BadInput("filter", "filter: '!' must be followed by '=' at position " + i);
                } else {
                    out.add(new Token("op", String.valueOf(ch), start));
                    i++;
                }
            } else if (ch == '\'' || ch == '"') {
                int start = i;
                StringBuilder b = new StringBuilder();
                i++;
                while (i < s.length() && s.charAt(i) != ch) {
                    b.append(s.charAt(i++));
                }
                if (i >= s.length()) {
                    throw new BadInput("filter", "filter: unterminated string starting at position " + start);
                }
                i++;
                out.add(new Token("string", b.toString(), start));
            } else if (Character.isDigit(ch) || ((ch == '-' || ch == '+' || ch == '.') && i + 1 < s.length()
                    && (Character.isDigit(s.charAt(i + 1)) || s.charAt(i + 1) == '.'))) {
                int start = i;
                i++;
                while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '.'
                        || ((s.charAt(i) == '-' || s.charAt(i) == '+') && (s.charAt(i - 1) == 'e' || s.charAt(i - 1) == 'E')))) {
                    i++;
                }
                String num = s.substring(start, i);
                try {
                    double d = Double.parseDouble(num);
                    if (!Double.isFinite(d)) {
                        throw new NumberFormatException();
                    }
                } catch (NumberFormatException e) {
                    throw new BadInput("filter", "filter: '" + num + "' is not a number at position " + start);
                }
                out.add(new Token("number", num, start));
            } else if (Character.isLetter(ch) || ch == '_') {
                int start = i;
                while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || "_./-".indexOf(s.charAt(i)) >= 0)) {
                    i++;
                }
                if (s.substring(start, i).equalsIgnoreCase("tag") && i < s.length() && s.charAt(i) == ':') {
                    i = tag(s, i + 1, start, out);
                    continue;
                }
                out.add(new Token("ident", s.substring(start, i), start));
            } else {
                throw new BadInput("filter", "filter: unexpected character '" + ch + "' at position " + i);
            }
        }
        return out;
    }
}
