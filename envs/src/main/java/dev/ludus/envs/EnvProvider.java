package dev.ludus.envs;

import java.util.List;

/**
 * The plug-in SPI: a jar contributes envs with one class implementing this interface and one line
 * naming it in {@code META-INF/services/dev.ludus.envs.EnvProvider}. Found with
 * {@link java.util.ServiceLoader}; see {@link Envs#discover(ClassLoader, String)}.
 */
public interface EnvProvider {
    /** The envs this provider registers; ids must be unique across all providers. */
    List<EnvSpec> specs();
}
