package dev.ludus.envs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.envs.classic.CartPole;
import dev.ludus.envs.classic.MountainCar;
import dev.ludus.envs.testplugin.DuplicateCartPoleProvider;
import dev.ludus.envs.testplugin.FailingProvider;
import dev.ludus.envs.testplugin.LateProvider;
import dev.ludus.envs.testplugin.RandomWalkProvider;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ServiceLoader discovery: the classpath plug-in, plug-in folders via discover(), duplicates, failures. */
class DiscoveryTest {

    @Test
    void theClasspathPluginIsFoundById() {
        assertTrue(Envs.ids().contains(RandomWalkProvider.ID));
        assertEquals("test-classes", Envs.origin(RandomWalkProvider.ID));
        assertEquals(Envs.BUILT_IN, Envs.origin("CartPole-v1"));
        assertEquals(List.of(), Envs.discoveryErrors());
        Env<Integer, Integer> env = Envs.make(RandomWalkProvider.ID, Integer.class, Integer.class);
        assertEquals(5, env.reset(1).observation());
        assertEquals(30, Envs.spec(RandomWalkProvider.ID).maxEpisodeSteps());
    }

    /** A plug-in "jar" (here a directory) with one services line, loaded by its own class loader. */
    private static ClassLoader pluginLoader(Path dir, String... providerClasses) throws IOException {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(EnvProvider.class.getName()), String.join("\n", providerClasses) + "\n");
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, DiscoveryTest.class.getClassLoader());
    }

    @Test
    void discoverRegistersANewProviderWithItsOriginAndSkipsKnownOnes(@TempDir Path dir) throws IOException {
        List<String> errors = Envs.discover(pluginLoader(dir, LateProvider.class.getName()), "late-plugin.jar");
        assertEquals(List.of(), errors);
        assertEquals("late-plugin.jar", Envs.origin(LateProvider.ID));
        assertInstanceOf(MountainCar.class, Envs.make(LateProvider.ID).unwrapped());
        // the classpath provider, visible again through the parent loader, is not registered twice
        assertEquals("test-classes", Envs.origin(RandomWalkProvider.ID));
        // discovering the same loader again is a no-op, not a duplicate
        assertEquals(List.of(), Envs.discover(pluginLoader(dir, LateProvider.class.getName()), "late-plugin.jar"));
    }

    @Test
    void aDuplicateIdIsAnErrorNamingBothProvidersAndNothingOfTheSecondIsRegistered(@TempDir Path dir)
            throws IOException {
        List<String> errors = Envs.discover(pluginLoader(dir, DuplicateCartPoleProvider.class.getName()), "dup.jar");
        assertEquals(1, errors.size(), errors.toString());
        String e = errors.get(0);
        assertTrue(e.contains("CartPole-v1") && e.contains("built-in") && e.contains("BuiltinEnvs")
                && e.contains(DuplicateCartPoleProvider.class.getName()) && e.contains("dup.jar"), e);
        assertFalse(Envs.ids().contains(DuplicateCartPoleProvider.FRESH_ID), "a rejected provider must leave nothing");
        assertEquals(Envs.BUILT_IN, Envs.origin("CartPole-v1"));
        assertInstanceOf(CartPole.class, Envs.make("CartPole-v1").unwrapped());
    }

    @Test
    void brokenProvidersAreReportedNotFatal(@TempDir Path dir) throws IOException {
        List<String> errors = Envs.discover(pluginLoader(dir, "com.example.DoesNotExist",
                FailingProvider.class.getName()), "broken.jar");
        assertEquals(2, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains("com.example.DoesNotExist") && errors.get(0).contains("broken.jar"),
                errors.get(0));
        assertTrue(errors.get(1).contains(FailingProvider.class.getName()) && errors.get(1).contains("config file missing"),
                errors.get(1));
        assertTrue(Envs.ids().contains("CartPole-v1"));
    }

    @Test
    void registerAddsOneSpecAndRefusesATakenId() {
        Envs.register(new EnvSpec("test/Registered-v0", CartPole::new, 7, null), "DiscoveryTest");
        assertEquals("DiscoveryTest", Envs.origin("test/Registered-v0"));
        assertEquals(7, Envs.spec("test/Registered-v0").maxEpisodeSteps());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Envs.register(new EnvSpec("Acrobot-v1", CartPole::new, 7, null), "again"));
        assertTrue(e.getMessage().contains("Acrobot-v1") && e.getMessage().contains("built-in")
                && e.getMessage().contains("again"), e.getMessage());
        assertTrue(Envs.make("Acrobot-v1").unwrapped() instanceof dev.ludus.envs.classic.Acrobot);
    }

    @Test
    void discoverRejectsANullLoader() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Envs.discover(null, "x"));
        assertTrue(e.getMessage().contains("loader"), e.getMessage());
    }
}
