package dev.ludus.run;

import dev.ludus.agents.Param;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.zip.CRC32;

/**
 * Where and when a trial checkpoints, so an interrupted run resumes from its last checkpoint instead of step 0.
 *
 * <p>A checkpoint is one file: magic, format version, the trial's fingerprint (task, params, seed: a checkpoint of
 * another configuration is never resumed), the payload (the runner's state: {@code dev.ludus.envs.state.Checkpointable}
 * objects and counters) and its CRC32. It is written to a temporary file beside it, forced to disk, then renamed over
 * the previous one (atomic), so a crash at any moment leaves either the old checkpoint or the new one, never half of
 * one. An unreadable or foreign file is ignored with a note (the run starts from step 0).
 *
 * <p>Schedule (task keys, declared once here): RL runs checkpoint every {@link #EVERY_SECONDS} of wall time
 * (default 60; 0 = never by time) and/or every {@link #EVERY_STEPS} env steps (default 0 = never by steps), at the
 * first lock-step boundary after the interval; classification runs after every epoch.
 */
public final class Checkpoints {

    public static final Param<Double> EVERY_SECONDS = Param.real("checkpoint_every_s", 60.0,
        "wall-clock seconds between checkpoints of an RL run (0: none by time)").atLeast(0);
    public static final Param<Long> EVERY_STEPS = Param.longInteger("checkpoint_every_steps", 0L,
        "env steps between checkpoints of an RL run (0: none by steps)").atLeast(0);

    private static final int MAGIC = 0x4C434B50; // "LCKP"
    private static final int VERSION = 1;

    /** No checkpoints: what tests and embedded callers without a data directory get. */
    public static final Checkpoints NONE = new Checkpoints(null, "", 0, 0, note -> { });

    private final Path file;
    private final String fingerprint;
    private final long everySteps;
    private final long everyNanos;
    private final Consumer<String> notes;
    private long lastNanos = System.nanoTime();
    private int written;

    /**
     * @param file        the checkpoint file (its directory is created on the first write); null = no checkpoints
     * @param fingerprint identifies the trial (task, params, seed): a file holding another one is not resumed
     * @param everySteps  steps between checkpoints, 0 = none by steps
     * @param everySeconds wall seconds between checkpoints, 0 = none by time
     * @param notes       where notes go (checkpointing unavailable, a checkpoint ignored, resumed from step N)
     */
    public Checkpoints(Path file, String fingerprint, long everySteps, double everySeconds, Consumer<String> notes) {
        this.file = file;
        this.fingerprint = Objects.requireNonNull(fingerprint, "fingerprint");
        if (everySteps < 0 || !(everySeconds >= 0) || Double.isInfinite(everySeconds)) {
            throw new IllegalArgumentException("checkpoint intervals must be >= 0, got " + everySteps + " steps and "
                + everySeconds + " s");
        }
        this.everySteps = everySteps;
        this.everyNanos = (long) (everySeconds * 1e9);
        this.notes = Objects.requireNonNull(notes, "notes");
    }

    /** The schedule of an RL task's {@link #EVERY_SECONDS} / {@link #EVERY_STEPS} keys (validated, defaults applied). */
    public static Checkpoints forTask(Path file, RunSpec spec, Map<String, Object> task, Consumer<String> notes) {
        return new Checkpoints(file, fingerprint(spec), everySteps(task), everySeconds(task), notes);
    }

    /** The {@code checkpoint_every_s} of a task; the error names the task key. */
    public static double everySeconds(Map<String, Object> task) {
        return taskValue(task, EVERY_SECONDS);
    }

    public static long everySteps(Map<String, Object> task) {
        return taskValue(task, EVERY_STEPS);
    }

    private static <T> T taskValue(Map<String, Object> task, Param<T> param) {
        Object raw = task.get(param.name());
        if (raw == null) {
            return param.defaultValue();
        }
        try {
            return param.parse(raw);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("task." + e.getMessage(), e);
        }
    }

    /** A stable text naming the trial: task, params (sorted) and seed. */
    public static String fingerprint(RunSpec spec) {
        return new java.util.TreeMap<>(spec.task()) + " " + new java.util.TreeMap<>(spec.params()) + " seed="
            + spec.seed();
    }

    public boolean enabled() {
        return file != null;
    }

    public Path file() {
        return file;
    }

    /** How many checkpoints this run has written. */
    public int written() {
        return written;
    }

    /** Whether a checkpoint is due after the lock-step from {@code previous} to {@code step} env steps. */
    public boolean due(long previous, long step) {
        if (file == null) {
            return false;
        }
        if (everySteps > 0 && step / everySteps > previous / everySteps) {
            return true;
        }
        return everyNanos > 0 && System.nanoTime() - lastNanos >= everyNanos;
    }

    /**
     * The first step after {@code step} at which the step schedule makes a checkpoint due ({@link Long#MAX_VALUE}
     * without one): the trainer steps up to it without polling {@link #due} at every lock-step.
     */
    public long nextStepDue(long step) {
        return file == null || everySteps == 0 ? Long.MAX_VALUE : (step / everySteps + 1) * everySteps;
    }

    public void note(String note) {
        notes.accept(note);
    }

    /** The body of a checkpoint: writes the runner's state. */
    public interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    /** Writes a checkpoint atomically (temp file, fsync, rename). */
    public void save(Writer state) throws IOException {
        if (file == null) {
            return;
        }
        ByteArrayOutputStream payload = new ByteArrayOutputStream(1 << 16);
        try (DataOutputStream out = new DataOutputStream(payload)) {
            state.write(out);
        }
        byte[] body = payload.toByteArray();
        CRC32 crc = new CRC32();
        crc.update(body);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                 StandardOpenOption.TRUNCATE_EXISTING);
             OutputStream raw = java.nio.channels.Channels.newOutputStream(channel);
             DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(raw, 1 << 16))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(fingerprint);
            out.writeInt(body.length);
            out.write(body);
            out.writeLong(crc.getValue());
            out.flush();
            channel.force(true);
        }
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        written++;
        lastNanos = System.nanoTime();
    }

    /**
     * The payload of this trial's checkpoint, or null when there is none or it cannot be used (another trial's,
     * corrupt, another format version: noted, and the run starts from step 0).
     */
    public DataInputStream load() {
        if (file == null) {
            return null;
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            note("checkpoint " + file + " unreadable (" + e.getMessage() + "): starting from step 0");
            return null;
        }
        try {
            ByteBuffer header = ByteBuffer.wrap(bytes);
            DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes));
            if (bytes.length < 8 || header.getInt() != MAGIC) {
                throw new IOException("not a Ludus checkpoint");
            }
            in.readInt();
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException("format version " + version + ", this build reads " + VERSION);
            }
            String saved = in.readUTF();
            if (!saved.equals(fingerprint)) {
                throw new IOException("it belongs to another configuration");
            }
            byte[] body = in.readNBytes(in.readInt());
            long expected = in.readLong();
            CRC32 crc = new CRC32();
            crc.update(body);
            if (crc.getValue() != expected) {
                throw new IOException("checksum mismatch");
            }
            return new DataInputStream(new java.io.ByteArrayInputStream(body));
        } catch (IOException e) {
            note("checkpoint " + file + " ignored (" + e.getMessage() + "): starting from step 0");
            return null;
        }
    }

    /** Removes the checkpoint (the run ended: finished, failed, diverged or cancelled). */
    public void delete() {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".tmp"));
        } catch (IOException e) {
            note("checkpoint " + file + " could not be removed: " + e.getMessage());
        }
    }
}
