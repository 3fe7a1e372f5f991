package dev.ludus.platform.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.platform.BadInput;
import dev.ludus.platform.store.RunRecord;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The filter grammar on its own: precedence, literals, missing values, and errors that name the position. */
class RunFilterTest {

    private static RunRecord run(double lr, long seed, String status, Double eval) {
        JsonObject summary = eval == null ? null : new JsonObject().put("eval/return_mean", eval);
        return new RunRecord(1, 1, 0, 0, "r-" + seed, new JsonObject().put("lr", lr).put("dueling", true), seed, status,
                null, summary, null, 0, null, null);
    }

    private static boolean test(String filter, RunRecord r) {
        return RunFilter.parse(filter).test(r);
    }

    @Test
    void comparisonsOnParamsSummaryAndPlainFields() {
        RunRecord r = run(0.001, 2, "finished", 450.0);
        assertTrue(test("params.lr < 0.01", r));
        assertFalse(test("params.lr >= 0.01", r));
        assertTrue(test("summary.eval/return_mean >= 400", r));
        assertTrue(test("status = 'finished'", r));
        assertTrue(test("status != \"failed\"", r));
        assertTrue(test("seed == 2", r));
        assertTrue(test("params.dueling = true", r));
        assertTrue(test("params.lr = 1e-3", r), "numbers in exponent form");
        assertTrue(test("name > 'r-1'", r), "strings compare lexically");
    }

    @Test
    void andBindsTighterThanOrAndNotAndParenthesesWork() {
        RunRecord r = run(0.1, 1, "failed", null);
        assertTrue(test("seed = 1 or seed = 2 and status = 'finished'", r), "a or (b and c)");
        assertFalse(test("(seed = 1 or seed = 2) and status = 'finished'", r));
        assertTrue(test("not status = 'finished'", r));
        assertTrue(test("NOT (params.lr > 1 OR seed > 5)", r), "keywords in any case");
    }

    @Test
    void aMissingValueOrAWrongTypeNeverMatches() {
        RunRecord r = run(0.1, 1, "running", null);
        assertFalse(test("summary.eval/return_mean > 0", r));
        assertFalse(test("summary.eval/return_mean <= 0", r));
        assertFalse(test("params.nope = 1", r));
        assertFalse(test("status > 3", r), "a string field is not compared with a number");
    }

    @Test
    void blankMeansEverything() {
        assertNull(RunFilter.parse(null));
        assertNull(RunFilter.parse("   "));
    }

    @Test
    void errorsNameTheFilterAndWhere() {
        assertError("params.lr <", "expected a value at the end");
        assertError("colour = 'red'", "unknown field 'colour'");
        assertError("params.lr < 1; DROP TABLE runs", "unexpected character ';' at position 13");
        assertError("params.lr < 1 seed = 2", "unexpected 'seed' at position 14");
        assertError("(seed = 1", "missing ')'");
        assertError("name = 'abc", "unterminated string starting at position 7");
        assertError("seed ! 1", "'!' must be followed by '='");
        assertError("seed = maybe", "expected a number, 'string', true or false, got maybe");
        assertError("seed = 1e999", "'1e999' is not a number");
        assertError("x".repeat(2001), "longer than 2000 characters");
    }

    private static void assertError(String filter, String part) {
        BadInput e = assertThrows(BadInput.class, () -> RunFilter.parse(filter));
        assertEquals("filter", e.field());
        assertTrue(e.getMessage().startsWith("filter: ") && e.getMessage().contains(part), e.getMessage());
    }
}
