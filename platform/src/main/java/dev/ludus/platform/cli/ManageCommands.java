package dev.ludus.platform.cli;

import dev.ludus.platform.BadInput;
import dev.ludus.platform.store.Marks;
import io.vertx.core.json.JsonObject;
import java.io.Console;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Run management on the command line (issue 14 §2): {@code tag}, {@code note}, {@code rename}, {@code star},
 * {@code archive}, {@code delete}, {@code cancel} act on a run, or on a sweep with {@code --sweep};
 * {@code add-seeds} on a sweep. Each goes through the server on {@code --data} when one runs, else the
 * database ({@link Manager}).
 */
final class ManageCommands {

    private ManageCommands() {
    }

    /** The id and its kind, shared by every command that acts on a run or a sweep. */
    static class Target {
        @Parameters(index = "0", paramLabel = "ID", description = "run id (a sweep id with --sweep)")
        long id;

        @Option(names = "--sweep", description = "ID is a sweep, not a run")
        boolean sweep;

        String what() {
            return (sweep ? "sweep " : "run ") + id;
        }
    }

    /** Opens the manager, runs the change, turns a refused value into the CLI's one-line error. */
    static JsonObject act(Main.StoreOptions store, Function<Manager, JsonObject> change) {
        try (Manager m = Manager.of(store)) {
            return change.apply(m);
        }
    }

    static Marks marks(java.util.function.Supplier<Marks> make) {
        try {
            return make.get();
        } catch (BadInput e) {
            throw new CliError(e.getMessage());
        }
    }

    @Command(name = "tag", mixinStandardHelpOptions = true, description = {"Add tags to a run or sweep (or remove them with --remove).",
        "Tags are letters, digits, '_', '.', '-'; filter on them with tag:NAME (./ludus runs --filter tag:baseline)."})
    static final class Tag implements Callable<Integer> {
        @CommandLine.Mixin
        Target target = new Target();
        @Parameters(index = "1..*", arity = "1..*", paramLabel = "TAG", description = "tags to add (or remove)")
        List<String> tags;
        @Option(names = "--remove", description = "remove the tags instead")
        boolean remove;
        @CommandLine.Mixin
        Main.StoreOptions store = new Main.StoreOptions();

        @Override
        public Integer call() {
            Marks m = marks(() -> remove ? Marks.tag(List.of(), tags) : Marks.tag(tags, List.of()));
            JsonObject after = act(store, x -> x.mark(target.sweep, target.id, m));
            List<Object> now = after.getJsonArray("tags").getList();
            System.out.println(target.what() + " tags: " + (now.isEmpty() ? "(none)" : String.join(", ", now.stream().map(String::valueOf).toList())));
            return ExitCodes.OK;
        }
    }

    @Command(name = "note", mixinStandardHelpOptions = true, description = "Set the notes of a run or sweep (\"\" clears them).")
    static final class Note implements Callable<Integer> {
        @CommandLine.Mixin
        Target target = new Target();
        @Parameters(index = "1", paramLabel = "TEXT", description = "the notes (replace what was there)")
        String text;
        @CommandLine.Mixin
        Main.StoreOptions store = new Main.StoreOptions();

        @Override
        public Integer call() {
            Marks m = marks(() -> Marks.notes(text));
            act(store, x -> x.mark(target.sweep, target.id, m));
            System.out.println(target.what() + (text.isEmpty() ? ": notes cleared" : ": notes saved (" + text.length() + " characters)"));
            return ExitCodes.OK;
        }
    }

    @Command(name = "rename", mixinStandardHelpOptions = true, description = "Rename a run or sweep.")
    static final class Rename implements Callable<Integer> {
        @CommandLine.Mixin
        Target target = new Target();
        @Parameters(index = "1", paramLabel = "NAME", description = "the new name")
        String name;
        @CommandLine.Mixin
        Main.StoreOptions store = new Main.StoreOptions();

        @Override
        public Integer call() {
            Marks m = marks(() -> Marks.rename(name));
            JsonObject after = act(store, x -> x.mark(target.sweep, target.id, m));
            System.out.println(target.what() + " renamed to '" + after.getString("name") + "'");
            return ExitCodes.OK;
        }
    }

    @Command(name = "star", mixinStandardHelpOptions = true, description = "Star a run or sweep (--off to unstar).")
    static final class Star implements Callable<Integer> {
        @CommandLine.Mixin
        Target target = new Target();
        @Option(names = "--off", description = "remove the star")
        boolean off;
        @CommandLine.Mixin
        Main.StoreOptions store = new Main.StoreOptions();

        @Override
        public Integer call() {
            act(store, x -> x.mark(target.sweep, target.id, Marks.star(!off)));
            System.out.println(target.what() + (off ? " unstarred" : " starred"));
            return ExitCodes.OK;
        }
    }

    @Command(name = "archive", mixinStandardHelpOptions = true, description = {"Archive a run or sweep (--undo to restore it).",
        "Archived runs and sweeps keep all their data; the dashboard hides them unless asked, filters see archived = true."})
    static final class Archive implements Callable<Integer> {
        @CommandLine.Mixin
        Target target = new Target();
        @Option(names = "--undo", description = "restore it")
        boolean undo;
        @CommandLine.Mixin
        Main.StoreOptions store = new Main.StoreOptions();

        @Override
        public Integer call() {
            act(store, x -> x.mark(target.sweep, target.id, Marks.archive(!undo)));
            System.out.println(target.what() + (undo ? " restored from the archive" : " archived"));
            return ExitCodes.OK;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = {"Delete a run or sweep with its metrics and artifacts, "
            + "for good.", "A running run (or a sweep with one) is refused: cancel it first. The file shrinks when the server "
            + "(or this command, without a server) closes the database."})
    static final class Delete implements Callable<Integer> {
        @CommandLine.Mixin
        Target target = new Target();
        @Option(names = {"-y", "--yes"}, description = "do not ask for confirmation")
        boolean yes;
        @CommandLine.Mixin
        Main.StoreOptions store = new Main.StoreOptions();

        @Override
        public Integer call() {
            if (!yes) {
                Console console = System.console();
                if (console == null) {
                    throw new CliError("delete " + target.what() + ": add --yes to confirm (no terminal to ask on)");
                }
                String answer = console.readLine("Delete %s with all its metrics and artifacts? This cannot be undone [y/N] ", target.what());
                if (answer == null || !answer.strip().equalsIgnoreCase("y")) {
                    System.out.println("not deleted");
                    return ExitCodes.OK;
                }
            }
            JsonObject d = act(store, x -> x.delete(target.sweep, target.id));
            long runs = d.getLong("runs");
            System.out.println("deleted " + target.what() + ": " + runs + " run" + (runs == 1 ? "" : "s") + ", "
                    + Format.num(d.getLong("points")) + " metric points, " + d.getLong("artifacts") + " artifacts");
            return ExitCodes.OK;
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true, description = {"Cancel a run (or a whole sweep with --sweep).",
        "A queued run never starts; a running one stops at its next check and ends cancelled."})
    static final class Cancel implements Callable<Integer> {
        @CommandLine.Mixin
        Target target = new Target();
        @CommandLine.Mixin
        Main.StoreOptions store = new Main.StoreOptions();

        @Override
        public Integer call() {
            JsonObject r = act(store, x -> x.cancel(target.sweep, target.id));
            if (target.sweep) {
                int running = r.getInteger("running", 0);
                System.out.println(target.what() + " cancelled" + (running > 0 ? "; " + running + " running run"
                        + (running == 1 ? " is" : "s are") + " stopping" : ""));
            } else {
                System.out.println(r.getBoolean("stopping") ? target.what() + " is stopping; it ends cancelled"
                        : target.what() + " cancelled");
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "add-seeds", mixinStandardHelpOptions = true, description = {"Run every configuration of a sweep again with new seeds.",
        "The sweep goes back to running (without a server, its new runs start when one starts on --data)."})
    static final class AddSeeds implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "SWEEP", description = "sweep id")
        long sweep;
        @Parameters(index = "1..*", arity = "1..*", paramLabel = "SEED", description = "the new seeds (integers)")
        List<Long> seeds;
        @CommandLine.Mixin
        Main.StoreOptions store = new Main.StoreOptions();

        @Override
        public Integer call() {
            boolean[] attached = new boolean[1];
            JsonObject s = act(store, x -> {
                attached[0] = x.serverAttached();
                return x.addSeeds(sweep, seeds);
            });
            System.out.println("sweep " + sweep + ": runs queued for seed" + (seeds.size() == 1 ? " " : "s ")
                    + String.join(", ", seeds.stream().map(String::valueOf).toList()) + " (" + s.getInteger("total") + " runs in all); "
                    + (attached[0] ? "it is " + s.getString("status")
                    : "they run when a server starts on " + store.data + " (./ludus serve --data " + store.data + ")"));
            return ExitCodes.OK;
        }
    }
}
