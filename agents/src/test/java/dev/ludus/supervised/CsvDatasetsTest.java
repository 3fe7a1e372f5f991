package dev.ludus.supervised;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvDatasetsTest {

    @TempDir
    Path dir;

    private static Dataset parse(String text, String label) throws IOException {
        return CsvDatasets.parse("t.csv", new StringReader(text), label);
    }

    private static String error(String text, String label) {
        return assertThrows(IllegalArgumentException.class, () -> parse(text, label)).getMessage();
    }

    @Test
    void labelColumnAnywhereFeaturesInFileOrder() throws IOException {
        Dataset d = parse("x1, species ,x2\n1.5,setosa,2\n\n-3,virginica,4e-1\n0,setosa,0\n", "species");
        assertEquals(3, d.rows());
        assertEquals(2, d.width());
        assertArrayEquals(new float[] {1.5f, 2f, -3f, 0.4f, 0f, 0f}, d.features());
        assertEquals(List.of("setosa", "virginica"), d.classNames());
        assertArrayEquals(new int[] {0, 1, 0}, d.labels());
    }

    @Test
    void integerLabelsKeepNumericOrder() throws IOException {
        Dataset d = parse("a,y\n1,10\n2,2\n3,0\n4,2\n", "y");
        assertEquals(List.of("0", "2", "10"), d.classNames());
        assertArrayEquals(new int[] {2, 1, 0, 1}, d.labels());
    }

    @Test
    void quotedFieldsAndByteOrderMark() throws IOException {
        Dataset d = parse("\uFEFF\"a\",\"label, with comma\"\n\"1\",\"say \"\"hi\"\"\"\n", "label, with comma");
        assertEquals(List.of("say \"hi\""), d.classNames());
        assertArrayEquals(new float[] {1f}, d.features());
    }

    @Test
    void errorsNameTheLineAndColumn() {
        assertEquals("t.csv line 3, column 'x2': not a number: 'abc'", error("x1,x2,y\n1,2,a\n3,abc,b\n", "y"));
        assertEquals("t.csv line 2: expected 3 fields (as in the header), got 2", error("x1,x2,y\n1,2\n", "y"));
        assertEquals("t.csv line 2, column 'x1': value must be finite, got 'NaN'", error("x1,y\nNaN,a\n", "y"));
        assertEquals("t.csv line 2, column 'y': empty label", error("x1,y\n1,\n", "y"));
        assertEquals("t.csv: label column 'class' not found; the header has [x1, y]", error("x1,y\n1,a\n", "class"));
        assertEquals("t.csv: empty file: expected a header line naming the columns", error("\n\n", "y"));
        assertEquals("t.csv: no data rows after the header", error("x1,y\n", "y"));
        assertEquals("t.csv line 1: column 'x' appears twice in the header", error("x,x,y\n", "y"));
        assertEquals("t.csv: no feature columns: the header has only the label column 'y'", error("y\na\n", "y"));
        assertEquals("t.csv line 2, field 2: unterminated quote", error("x,y\n1,\"a\n", "y"));
    }

    @Test
    void loadsFromAFileAndReportsAMissingOne() throws IOException {
        Path file = dir.resolve("d.csv");
        Files.writeString(file, "f,label\n0.25,yes\n0.75,no\n");
        Dataset d = CsvDatasets.load(file, "label");
        assertEquals(List.of("no", "yes"), d.classNames());
        assertArrayEquals(new int[] {1, 0}, d.labels());
        Path missing = dir.resolve("missing.csv");
        var e = assertThrows(IllegalArgumentException.class, () -> CsvDatasets.load(missing, "label"));
        assertEquals(missing + ": no such file", e.getMessage());
    }
}
