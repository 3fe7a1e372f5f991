package dev.ludus.platform.store;

import dev.ludus.platform.BadInput;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A change to the user's marks on a run or sweep — its name, notes, star, archive flag and tags — validated
 * at construction (each bad value names its field). A null component leaves that mark as it is; {@code tags}
 * replaces the whole set, {@code addTags}/{@code removeTags} change it relative to what is stored, so two
 * clients tagging at once do not undo each other.
 */
public record Marks(String name, String notes, Boolean starred, Boolean archived, List<String> tags,
                    List<String> addTags, List<String> removeTags) {

    /** A tag: a letter, digit or underscore, then letters, digits, {@code _ . -}; usable as {@code tag:NAME} in filters. */
    public static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,49}");
    public static final int MAX_TAGS = 32;
    public static final int MAX_NOTES = 20_000;
    public static final int MAX_NAME = 400;
    static final Set<String> FIELDS = Set.of("name", "notes", "starred", "archived", "tags", "addTags", "removeTags");

    public Marks {
        if (name != null && (name.isBlank() || name.length() > MAX_NAME)) {
            throw new BadInput("name", "name: must be 1 to " + MAX_NAME + " characters, got " + name.length());
        }
        if (notes != null && notes.length() > MAX_NOTES) {
            throw new BadInput("notes", "notes: at most " + MAX_NOTES + " characters, got " + notes.length());
        }
        tags = checkTags(tags, "tags");
        addTags = checkTags(addTags, "addTags");
        removeTags = checkTags(removeTags, "removeTags");
        if (tags != null && (addTags != null || removeTags != null)) {
            throw new BadInput("tags", "tags: give either tags (the whole set) or addTags/removeTags, not both");
        }
        if (name == null && notes == null && starred == null && archived == null && tags == null && addTags == null
                && removeTags == null) {
            throw new BadInput("body", "body: nothing to change; give one of " + String.join(", ", FIELDS.stream().sorted().toList()));
        }
    }

    public static Marks rename(String name) {
        return new Marks(name, null, null, null, null, null, null);
    }

    public static Marks notes(String notes) {
        return new Marks(null, notes, null, null, null, null, null);
    }

    public static Marks star(boolean starred) {
        return new Marks(null, null, starred, null, null, null, null);
    }

    public static Marks archive(boolean archived) {
        return new Marks(null, null, null, archived, null, null, null);
    }

    public static Marks tag(List<String> add, List<String> remove) {
        return new Marks(null, null, null, null, null, add.isEmpty() ? null : add, remove.isEmpty() ? null : remove);
    }

    /** Reads a request body {@code {"name"?, "notes"?, "starred"?, "archived"?, "tags"?, "addTags"?, "removeTags"?}}. */
    public static Marks fromJson(JsonObject b) {
        for (String k : b.fieldNames()) {
            if (!FIELDS.contains(k)) {
                throw new BadInput(k, k + ": unknown field; marks are " + String.join(", ", FIELDS.stream().sorted().toList()));
            }
        }
        return new Marks(string(b, "name"), string(b, "notes"), bool(b, "starred"), bool(b, "archived"),
                strings(b, "tags"), strings(b, "addTags"), strings(b, "removeTags"));
    }

    /** The tags after this change, from the stored ones. */
    List<String> applyTo(List<String> stored) {
        LinkedHashSet<String> out = new LinkedHashSet<>(tags != null ? tags : stored);
        if (addTags != null) {
            out.addAll(addTags);
        }
        if (removeTags != null) {
            removeTags.forEach(out::remove);
        }
        if (out.size() > MAX_TAGS) {
            throw new BadInput(tags != null ? "tags" : "addTags", (tags != null ? "tags" : "addTags") + ": at most "
                    + MAX_TAGS + " tags, this would make " + out.size());
        }
        return List.copyOf(out);
    }

    boolean touchesTags() {
        return tags != null || addTags != null || removeTags != null;
    }

    private static List<String> checkTags(List<String> given, String field) {
        if (given == null) {
            return null;
        }
        if (given.size() > MAX_TAGS) {
            throw new BadInput(field, field + ": at most " + MAX_TAGS + " tags, got " + given.size());
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            String t = given.get(i);
            if (t == null || !TAG.matcher(t).matches()) {
                throw new BadInput(field + "[" + i + "]", field + "[" + i + "]: a tag is 1 to 50 letters, digits, '_', '.'"
                        + " or '-' (not starting with '.' or '-'), got " + (t == null ? "null" : "'" + printable(t) + "'"));
            }
            if (!out.contains(t)) {
                out.add(t);
            }
        }
        return List.copyOf(out);
    }

    private static String string(JsonObject b, String k) {
        Object v = b.getValue(k);
        if (v == null) {
            if (b.containsKey(k)) {
                throw new BadInput(k, k + ": must be a string, not null");
            }
            return null;
        }
        if (!(v instanceof String s)) {
            throw new BadInput(k, k + ": must be a string, got " + v);
        }
        return s;
    }

    private static Boolean bool(JsonObject b, String k) {
        Object v = b.getValue(k);
        if (v == null && !b.containsKey(k)) {
            return null;
        }
        if (!(v instanceof Boolean x)) {
            throw new BadInput(k, k + ": must be true or false, got " + v);
        }
        return x;
    }

    private static List<String> strings(JsonObject b, String k) {
        Object v = b.getValue(k);
        if (v == null && !b.containsKey(k)) {
            return null;
        }
        if (!(v instanceof JsonArray a)) {
            throw new BadInput(k, k + ": must be a list of tags, got " + v);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            if (!(a.getValue(i) instanceof String s)) {
                throw new BadInput(k + "[" + i + "]", k + "[" + i + "]: must be a string, got " + a.getValue(i));
            }
            out.add(s);
        }
        return out;
    }

    private static String printable(String s) {
        String clipped = s.length() > 60 ? s.substring(0, 60) + "…" : s;
        return clipped.replaceAll("\\p{Cntrl}", "?");
    }
}
