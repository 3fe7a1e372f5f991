package dev.ludus.platform;

/** A request the caller got wrong: becomes a 4xx JSON error {@code {"error", "field"}}. */
public final class BadInput extends RuntimeException {
    private final int status;
    private final String field;
    /** Every problem of the request, this one first (see {@link #all(java.util.List)}). */
    private java.util.List<BadInput> all = java.util.List.of(this);

    public BadInput(int status, String field, String message) {
        super(message);
        this.status = status;
        this.field = field;
    }

    public BadInput(String field, String message) {
        this(400, field, message);
    }

    public int status() {
        return status;
    }

    /**
     * Several independent problems of one request as one refusal: its status and field are the first's, its message
     * all of theirs joined with "; ", and {@link #all()} lists each (the API answers them as {@code errors}).
     */
    public static BadInput all(java.util.List<BadInput> problems) {
        if (problems.size() == 1) {
            return problems.get(0);
        }
        BadInput first = problems.get(0);
        BadInput combined = new BadInput(first.status(), first.field(), String.join("; ",
                problems.stream().map(BadInput::getMessage).toList()));
        combined.all = java.util.List.copyOf(problems);
        return combined;
    }

    /** Each problem of the request (just this one unless made by {@link #all(java.util.List)}). */
    public java.util.List<BadInput> all() {
        return all;
    }

    /** The offending field ({@code params.lr}, {@code points[3].value}), or null. */
    public String field() {
        return field;
    }

    /**
     * Turns a validator's {@link IllegalArgumentException} (message {@code "params.lr: must be > 0"}) into a
     * 400 naming that field; messages without such a prefix name {@code fallbackField}.
     */
    public static BadInput fromValidation(RuntimeException e, String fallbackField) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        int colon = message.indexOf(": ");
        if (colon > 0 && message.substring(0, colon).matches("[A-Za-z_][\\w./\\[\\]-]*")) {
            return new BadInput(message.substring(0, colon), message);
        }
        return new BadInput(fallbackField, fallbackField + ": " + message);
    }
}
