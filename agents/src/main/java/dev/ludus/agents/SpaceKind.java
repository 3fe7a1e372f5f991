package dev.ludus.agents;

import dev.ludus.envs.Box;
import dev.ludus.envs.Discrete;
import dev.ludus.envs.Space;

/** The kinds of space an agent can declare it supports. */
public enum SpaceKind {
    /** {@link Box}: values are {@code double[]} */
    BOX("Box"),
    /** {@link Discrete}: values are {@code Integer} */
    DISCRETE("Discrete");

    private final String label;

    SpaceKind(String label) {
        this.label = label;
    }

    /** {@code Box} or {@code Discrete}, as in messages. */
    public String label() {
        return label;
    }

    /** The kind of {@code space}, or null for a space type Ludus agents do not handle. */
    public static SpaceKind of(Space<?> space) {
        return space instanceof Box ? BOX : space instanceof Discrete ? DISCRETE : null;
    }
}
