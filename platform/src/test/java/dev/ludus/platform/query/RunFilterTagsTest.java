package dev.ludus.platform.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.platform.BadInput;
import dev.ludus.platform.store.RunRecord;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The run-management words of the filter language: tag:NAME, starred, archived, notes, sweepId. */
class RunFilterTagsTest {

    static RunRecord run(List<String> tags, boolean starred, boolean archived) {
        return new RunRecord(1, 7, 0, 0, "r", new JsonObject().put("lr", 0.1), 1, "finished", null, new JsonObject(), null, 0L,
                null, null, tags, "lr sweep v2", starred, archived);
    }

    static boolean matches(String filter, RunRecord r) {
        return RunFilter.parse(filter).test(r);
    }

    @Test
    void tagsStarsArchiveNotesAndSweepFilter() {
        RunRecord tagged = run(List.of("baseline", "v2.1"), true, false);
        RunRecord plain = run(List.of(), false, true);
        assertTrue(matches("tag:baseline", tagged));
        assertFalse(matches("tag:baseline", plain));
        assertTrue(matches("tag:'v2.1' and starred = true", tagged));
        assertTrue(matches("TAG:v2.1 and params.lr < 1", tagged));
        assertTrue(matches("not tag:baseline and archived = true", plain));
        assertTrue(matches("(tag:nope or tag:baseline) and sweepId = 7", tagged));
        assertTrue(matches("notes = 'lr sweep v2'", tagged));
        assertFalse(matches("tag:basel", tagged), "a tag matches whole, not as a prefix");
    }

    @Test
    void badTagsAreRefusedNamingTheFilter() {
        for (String bad : List.of("tag:", "tag: baseline", "tag:'open", "tag:-x", "tag:a b", "tags:x")) {
            BadInput e = assertThrows(BadInput.class, () -> RunFilter.parse(bad), bad);
            assertEquals("filter", e.field(), bad);
        }
    }
}
