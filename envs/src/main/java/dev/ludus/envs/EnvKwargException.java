package dev.ludus.envs;

/**
 * A keyword argument of {@link Envs#make(String, java.util.Map)} that the env does not take or whose
 * value is wrong. The message starts with the argument's name ({@code "map_name: must be one of ..."}),
 * so a caller can prefix where it came from, e.g. {@code "task.env_kwargs." + e.getMessage()}.
 */
public final class EnvKwargException extends IllegalArgumentException {
    private final String kwarg;

    public EnvKwargException(String kwarg, String problem) {
        super(kwarg + ": " + problem);
        this.kwarg = kwarg;
    }

    /** The name of the argument at fault. */
    public String kwarg() {
        return kwarg;
    }
}
