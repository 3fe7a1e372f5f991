package dev.ludus.supervised;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Loads a classification dataset from a CSV file: a header line naming the columns, one row per
 * line, the label in the column named by the caller and numeric features in every other column
 * (in file order). Fields may be quoted ({@code "a,b"}, with {@code ""} for a quote). Blank lines
 * are skipped.
 *
 * <p>Class names are the distinct label values: in numeric order when every label is an integer
 * (so labels {@code 0..k-1} keep their index), otherwise in lexicographic order.
 *
 * <p>Errors name the file, line and column: {@code iris.csv line 7, column 'petal_width': not a
 * number: 'abc'}.
 */
public final class CsvDatasets {

    private CsvDatasets() {
    }

    public static Dataset load(Path file, String labelColumn) {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(file.toString(), reader, labelColumn);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file", e);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Parses CSV text; {@code name} is used in error messages. */
    public static Dataset parse(String name, Reader reader, String labelColumn) throws IOException {
        BufferedReader in = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
        String line;
        int lineNo = 0;
        List<String> header = null;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (!line.isBlank()) {
                header = split(name, lineNo, stripBom(line));
                break;
            }
        }
        if (header == null) {
            throw new IllegalArgumentException(name + ": empty file: expected a header line naming the columns");
        }
        Set<String> seen = new HashSet<>();
        for (int c = 0; c < header.size(); c++) {
            String column = header.get(c);
            if (column.isEmpty()) {
                throw new IllegalArgumentException(name + " line " + lineNo + ": column " + (c + 1) + " has an empty name");
            }
            if (!seen.add(column)) {
                throw new IllegalArgumentException(name + " line " + lineNo + ": column '" + column + "' appears twice in the header");
            }
        }
        int labelIndex = header.indexOf(labelColumn);
        if (labelIndex < 0) {
            throw new IllegalArgumentException(name + ": label column '" + labelColumn + "' not found; the header has " + header);
        }
        int width = header.size() - 1;
        if (width == 0) {
            throw new IllegalArgumentException(name + ": no feature columns: the header has only the label column '" + labelColumn + "'");
        }

        FloatList features = new FloatList();
        List<String> rawLabels = new ArrayList<>();
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            List<String> fields = split(name, lineNo, line);
            if (fields.size() != header.size()) {
                throw new IllegalArgumentException(name + " line " + lineNo + ": expected " + header.size() + " fields (as in the header), got "
                    + fields.size());
            }
            for (int c = 0; c < fields.size(); c++) {
                String field = fields.get(c);
                if (c == labelIndex) {
                    if (field.isEmpty()) {
                        throw new IllegalArgumentException(name + " line " + lineNo + ", column '" + labelColumn + "': empty label");
                    }
                    rawLabels.add(field);
                    continue;
                }
                float value;
                try {
                    value = Float.parseFloat(field);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(name + " line " + lineNo + ", column '" + header.get(c) + "': not a number: '"
                        + field + "'");
                }
                if (!Float.isFinite(value)) {
                    throw new IllegalArgumentException(name + " line " + lineNo + ", column '" + header.get(c) + "': value must be finite, got '"
                        + field + "'");
                }
                features.add(value);
            }
        }
        if (rawLabels.isEmpty()) {
            throw new IllegalArgumentException(name + ": no data rows after the header");
        }
        List<String> classNames = classNames(rawLabels);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < classNames.size(); i++) {
            index.put(classNames.get(i), i);
        }
        int[] labels = new int[rawLabels.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = index.get(rawLabels.get(i));
        }
        return new Dataset(features.toArray(), labels.length, width, labels, classNames);
    }

    private static List<String> classNames(List<String> rawLabels) {
        Set<String> distinct = new HashSet<>(rawLabels);
        boolean allIntegers = distinct.stream().allMatch(s -> s.matches("-?\\d{1,18}"));
        if (allIntegers) {
            return distinct.stream().sorted((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b))).toList();
        }
        return List.copyOf(new TreeSet<>(distinct));
    }

    /** Splits one line into trimmed fields, honouring double quotes. */
    static List<String> split(String name, int lineNo, String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(ch);
                }
            } else if (ch == '"' && field.toString().isBlank() && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
                field.setLength(0);
            } else if (ch == ',') {
                fields.add(wasQuoted ? field.toString() : field.toString().trim());
                field.setLength(0);
                wasQuoted = false;
            } else if (wasQuoted && !Character.isWhitespace(ch)) {
                throw new IllegalArgumentException(name + " line " + lineNo + ", field " + (fields.size() + 1)
                    + ": unexpected character '" + ch + "' after a closing quote");
            } else if (!wasQuoted) {
                field.append(ch);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException(name + " line " + lineNo + ", field " + (fields.size() + 1) + ": unterminated quote");
        }
        fields.add(wasQuoted ? field.toString() : field.toString().trim());
        return fields;
    }

    private static String stripBom(String line) {
        return line.startsWith("\uFEFF") ? line.substring(1) : line;
    }

    /** A growable float array: CSV files can be large, boxing every value would triple the memory. */
    private static final class FloatList {
        private float[] values = new float[1024];
        private int size;

        void add(float v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, values.length * 2);
            }
            values[size++] = v;
        }

        float[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
