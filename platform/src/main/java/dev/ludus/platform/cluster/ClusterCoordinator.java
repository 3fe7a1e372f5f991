package dev.ludus.platform.cluster;

import dev.ludus.platform.Addresses;
import dev.ludus.platform.store.ClusterLedger;
import dev.ludus.platform.store.MetricBatch;
import dev.ludus.platform.store.RunEnd;
import dev.ludus.platform.store.Trial;
import dev.ludus.platform.sweep.SchedulerVerticle;
import dev.ludus.run.Cores;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The coordinator's view of the cluster: which members may run trials (those that registered with the
 * token, plus this process's own runners), which runs each holds, and when each last answered. It sits
 * between the scheduler and the runners: the scheduler's capacity is the members' runners, each trial the
 * scheduler claims goes to the member with the most free runners (recorded in the store with its attempt),
 * and the members' writes come back here, fenced by that assignment. A member silent for longer than the
 * worker timeout (or that cannot be sent a trial) is dropped and its runs become {@code interrupted}, with a
 * new attempt queued for another member. All state is confined to this verticle's event loop.
 */
public final class ClusterCoordinator extends VerticleBase {

    /** How often workers report; the coordinator checks for silent members at the same pace. */
    public static final long HEARTBEAT_MS = 1000;
    /** A worker must acknowledge a trial within this long, or it is dropped and the trial re-queued. */
    static final long TRIAL_ACK_MS = 10_000;
    /** The coordinator's own runners, as a member. */
    public static final String LOCAL_TRIALS = "ludus.trial.local";

    private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

    /** A member that may run trials. */
    private static final class Member {
        final String id;
        final String host;
        final int cores;
        final int runners;
        final long pid;
        final boolean local;
        final long joinedAt;
        long lastHeartbeat;
        long ended;
        final Map<Long, Integer> running = new LinkedHashMap<>(); // run id -> attempt

        Member(String id, String host, int cores, int runners, long pid, boolean local, long now) {
            this.id = id;
            this.host = host;
            this.cores = cores;
            this.runners = runners;
            this.pid = pid;
            this.local = local;
            this.joinedAt = now;
            this.lastHeartbeat = now;
        }

        int free() {
            return runners - running.size();
        }
    }

    private final ClusterLedger ledger;
    private final String token;
    private final Duration workerTimeout;
    private final int localRunners;
    private final String localId;
    private final String localHost;
    private final PluginShelf plugins;
    private final Supplier<String> httpUrl;
    private final Map<String, Member> members = new LinkedHashMap<>();
    private final Map<Long, Member> owners = new HashMap<>();
    private final List<Trial> arriving = new ArrayList<>();
    private volatile int capacity;
    private long lastCheck = System.currentTimeMillis();

    /**
     * @param localRunners this process's runners (0: a pure coordinator)
     * @param httpUrl      where workers fetch plug-ins (the HTTP API's base URL, known once it listens)
     */
    public ClusterCoordinator(ClusterLedger ledger, String token, Duration workerTimeout, int localRunners,
                              String localId, String localHost, PluginShelf plugins, Supplier<String> httpUrl) {
        this.ledger = ledger;
        this.token = token;
        this.workerTimeout = workerTimeout;
        this.localRunners = localRunners;
        this.localId = localId;
        this.localHost = localHost;
        this.plugins = plugins;
        this.httpUrl = httpUrl;
    }

    /** Trials the members can run at once (the scheduler asks before each claim; any thread). */
    public int capacity() {
        return capacity;
    }

    @Override
    public Future<?> start() {
        var bus = vertx.eventBus();
        long now = System.currentTimeMillis();
        if (localRunners > 0) {
            members.put(localId, new Member(localId, localHost, Cores.available(),
                    localRunners, ProcessHandle.current().pid(), true, now));
        }
        updateCapacity();
        bus.<Trial>localConsumer(Addresses.TRIAL_DISPATCH, m -> dispatch(m.body()));
        bus.<JsonObject>localConsumer(ClusterAddresses.WORKERS, m -> m.reply(workers()));
        bus.<JsonObject>consumer(Addresses.EVENTS, m -> {
            JsonObject e = m.body();
            if ("run".equals(e.getString("type")) && !"running".equals(e.getString("status"))) {
                release(e.getLong("runId"));
            }
        });
        vertx.setPeriodic(HEARTBEAT_MS, id -> dropSilent());
        return Future.all(List.of(
                bus.<JsonObject>consumer(ClusterAddresses.REGISTER, this::register).completion(),
                bus.<JsonObject>consumer(ClusterAddresses.PLUGINS, this::plugins).completion(),
                bus.<JsonObject>consumer(ClusterAddresses.HEARTBEAT, this::heartbeat).completion(),
                bus.<JsonObject>consumer(ClusterAddresses.LEAVE, this::leave).completion(),
                bus.<MetricBatch>consumer(ClusterAddresses.METRICS, this::metrics).completion(),
                bus.<MetricBatch>consumer(ClusterAddresses.FINISH, this::finish).completion(),
                bus.<JsonObject>consumer(ClusterAddresses.ATTACH, this::attach).completion()))
                .onSuccess(v -> bus.send(SchedulerVerticle.WAKE, "ready", LOCAL));
    }

    // ---------------------------------------------------------------- membership

    private void register(Message<JsonObject> m) {
        JsonObject b = m.body();
        if (!ClusterNetwork.tokenMatches(token, b.getString("token"))) {
            m.fail(403, "token: not the coordinator's token");
            return;
        }
        String id = b.getString("worker");
        int runners = b.getInteger("runners", 0);
        if (id == null || id.isBlank() || id.length() > 100 || runners < 1 || runners > 256) {
            m.fail(400, "worker: needs an id of 1..100 characters and 1..256 runners");
            return;
        }
        Member old = members.remove(id);
        if (old != null) {
            drop(old, "worker " + old.host + " registered again");
        }
        Member member = new Member(id, String.valueOf(b.getString("host")), b.getInteger("cores", 0), runners,
                b.getLong("pid", 0L), false, System.currentTimeMillis());
        members.put(id, member);
        updateCapacity();
        System.err.println("ludus: worker " + member.host + " (" + id + ") joined with " + runners + " runner(s)");
        m.reply(new JsonObject().put("heartbeatMs", HEARTBEAT_MS).put("timeoutMs", workerTimeout.toMillis()));
        vertx.eventBus().send(SchedulerVerticle.WAKE, "worker", LOCAL);
    }

    private void plugins(Message<JsonObject> m) {
        if (!ClusterNetwork.tokenMatches(token, m.body().getString("token"))) {
            m.fail(403, "token: not the coordinator's token");
            return;
        }
        m.reply(new JsonObject().put("httpUrl", httpUrl.get()).put("plugins", plugins.toJson()));
    }

    private void heartbeat(Message<JsonObject> m) {
        Member member = members.get(m.body().getString("worker"));
        if (member == null || member.local) {
            m.reply(new JsonObject().put("known", false));
            return;
        }
        member.lastHeartbeat = System.currentTimeMillis();
        JsonArray abandon = new JsonArray();
        for (Object id : m.body().getJsonArray("running", new JsonArray())) {
            long runId = ((Number) id).longValue();
            if (!member.running.containsKey(runId)) {
                abandon.add(runId); // interrupted here (or never given to it): its writes would be refused anyway
            }
        }
        m.reply(new JsonObject().put("known", true).put("abandon", abandon));
    }

    private void leave(Message<JsonObject> m) {
        Member member = members.get(m.body().getString("worker"));
        if (member != null && !member.local) {
            members.remove(member.id);
            drop(member, "worker " + member.host + " (" + member.id + ") left");
        }
        m.reply(true);
    }

    private void dropSilent() {
        long now = System.currentTimeMillis();
        long stall = now - lastCheck - HEARTBEAT_MS;
        lastCheck = now;
        if (stall > HEARTBEAT_MS) {
            // this process itself stood still (a long GC, a suspended VM): the workers were not silent, it was deaf
            members.values().forEach(m -> m.lastHeartbeat += stall);
        }
        for (Member member : new ArrayList<>(members.values())) {
            if (!member.local && now - member.lastHeartbeat > workerTimeout.toMillis()) {
                members.remove(member.id);
                drop(member, "worker " + member.host + " (" + member.id + ") stopped answering");
            }
        }
    }

    /** Forgets a member (already removed from {@link #members}) and interrupts its runs, re-queuing them. */
    private void drop(Member member, String reason) {
        updateCapacity();
        List<Long> runs = new ArrayList<>(member.running.keySet());
        runs.forEach(owners::remove);
        member.running.clear();
        System.err.println("ludus: " + reason + "; " + runs.size() + " run(s) interrupted and queued again");
        ledger.interrupt(runs, reason).onFailure(e -> System.err.println("ludus: interrupting the runs of "
                + member.host + " failed: " + e.getMessage()));
    }

    private void updateCapacity() {
        capacity = members.values().stream().mapToInt(mb -> mb.runners).sum();
    }

    private void release(long runId) {
        Member owner = owners.remove(runId);
        if (owner != null && owner.running.remove(runId) != null) {
            owner.ended++;
        }
    }

    // ---------------------------------------------------------------- dispatch

    /**
     * Takes a claimed trial. The trials of one claim arrive together: they are placed and their assignments
     * written in one transaction (one commit instead of one per trial).
     */
    private void dispatch(Trial trial) {
        if (arriving.isEmpty()) {
            vertx.runOnContext(v -> placeArrived());
        }
        arriving.add(trial);
    }

    /**
     * Places the arrived trials and sends each to its member as soon as its assignment is handed to the store's writer,
     * not once it is committed: the writer commits in order, so the assignment is stored before any write the member
     * makes for the trial, and the fence holds (a trial whose assignment is not stored, because the run was cancelled
     * since its claim or the write failed, has every write refused and is let go). A worker starts one commit earlier.
     */
    private void placeArrived() {
        List<Trial> trials = new ArrayList<>(arriving);
        arriving.clear();
        Map<Long, Member> placed = new LinkedHashMap<>();
        List<ClusterLedger.Assignment> assignments = new ArrayList<>();
        List<Long> homeless = new ArrayList<>();
        for (Trial trial : trials) {
            Member member = members.values().stream().filter(mb -> mb.free() > 0)
                    .max(Comparator.comparingInt(Member::free)).orElse(null);
            if (member == null) { // members left between the scheduler's claim and now
                homeless.add(trial.runId());
                continue;
            }
            member.running.put(trial.runId(), trial.attempt());
            owners.put(trial.runId(), member);
            placed.put(trial.runId(), member);
            assignments.add(new ClusterLedger.Assignment(trial.runId(), member.id, member.host));
        }
        if (!homeless.isEmpty()) {
            ledger.interrupt(homeless, "no cluster member had a free runner");
        }
        if (assignments.isEmpty()) {
            return;
        }
        Future<Map<Long, Integer>> assigned = ledger.assign(assignments);
        for (Trial trial : trials) {
            Member member = placed.get(trial.runId());
            if (member != null && !member.local) {
                send(member, trial);
            }
        }
        assigned.onComplete(ar -> {
            for (Trial trial : trials) {
                Member member = placed.get(trial.runId());
                if (member == null) {
                    continue;
                }
                if (ar.failed() || !ar.result().containsKey(trial.runId())) {
                    release(trial.runId()); // cancelled since the claim (or the store refused): its writes are refused
                    if (ar.failed()) {
                        ledger.interrupt(List.of(trial.runId()), "recording its worker failed");
                    }
                } else if (member.local && members.get(member.id) == member) {
                    send(member, trial); // this process's runners write unfenced: they start once it is recorded
                }
            }
        });
    }

    private void send(Member member, Trial trial) {
        if (member.local) {
            vertx.eventBus().send(LOCAL_TRIALS, trial, LOCAL);
            return;
        }
        vertx.eventBus().request(ClusterAddresses.trials(member.id), new Assignment(trial, member.id, trial.attempt()),
                new DeliveryOptions().setSendTimeout(TRIAL_ACK_MS)).onFailure(e -> {
                    if (members.get(member.id) == member) {
                        members.remove(member.id);
                        drop(member, "worker " + member.host + " (" + member.id + ") did not take run "
                                + trial.runId() + " (" + e.getMessage() + ")");
                    }
                });
    }

    // ---------------------------------------------------------------- fenced writes of the workers

    private static ClusterLedger.Fence fence(Message<?> m) {
        String attempt = m.headers().get("attempt");
        return new ClusterLedger.Fence(m.headers().get("worker"), attempt == null ? -1 : Integer.parseInt(attempt));
    }

    /** Any message of a known worker shows it alive: a heartbeat may queue behind its metrics on the connection. */
    private void alive(String worker) {
        Member member = worker == null ? null : members.get(worker);
        if (member != null) {
            member.lastHeartbeat = Math.max(member.lastHeartbeat, System.currentTimeMillis());
        }
    }

    private void metrics(Message<MetricBatch> m) {
        alive(m.headers().get("worker"));
        ledger.logBatch(m.body(), fence(m)).onComplete(m::reply, e -> m.fail(500, "storing metrics failed: " + e.getMessage()));
    }

    /** A run's end: its last points (possibly none) with the end in a header, stored and ended in one transaction. */
    private void finish(Message<MetricBatch> m) {
        alive(m.headers().get("worker"));
        long runId = m.body().runId();
        RunEnd runEnd;
        try {
            JsonObject end = new JsonObject(String.valueOf(m.headers().get("end")));
            runEnd = new RunEnd(end.getString("status"), end.getJsonObject("summary"), end.getString("error"));
        } catch (RuntimeException e) { // not JSON, or not an end the store knows
            m.fail(400, "end of run " + runId + ": " + e.getMessage());
            return;
        }
        ledger.finish(m.body(), fence(m), runEnd)
                .onComplete(ended -> m.reply(ended.isPresent()), e -> m.fail(500, "ending run " + runId + " failed: "
                        + e.getMessage()));
    }

    private void attach(Message<JsonObject> m) {
        JsonObject b = m.body();
        long runId = b.getLong("runId");
        ClusterLedger.Fence f = new ClusterLedger.Fence(b.getString("worker"), b.getInteger("attempt"));
        Future<Boolean> stored;
        if (b.containsKey("artifact")) {
            stored = ledger.logArtifact(runId, f, b.getString("artifact"), Base64.getDecoder().decode(b.getString("content")));
        } else {
            List<String> labels = b.getJsonArray("labels").stream().map(String::valueOf).toList();
            JsonArray rows = b.getJsonArray("counts");
            long[][] counts = new long[rows.size()][];
            for (int i = 0; i < rows.size(); i++) {
                JsonArray row = rows.getJsonArray(i);
                counts[i] = new long[row.size()];
                for (int j = 0; j < row.size(); j++) {
                    counts[i][j] = row.getLong(j);
                }
            }
            stored = ledger.logConfusion(runId, f, labels, counts);
        }
        stored.onComplete(m::reply, e -> m.fail(500, "storing an attachment of run " + runId + " failed: " + e.getMessage()));
    }

    // ---------------------------------------------------------------- the workers page

    private JsonObject workers() {
        JsonArray list = new JsonArray();
        for (Member mb : members.values()) {
            list.add(new JsonObject().put("id", mb.id).put("host", mb.host).put("cores", mb.cores)
                    .put("runners", mb.runners).put("pid", mb.pid).put("coordinator", mb.local)
                    .put("runs", new JsonArray(new ArrayList<>(mb.running.keySet())))
                    .put("runsEnded", mb.ended).put("joinedAt", mb.joinedAt)
                    .put("lastHeartbeat", mb.local ? System.currentTimeMillis() : mb.lastHeartbeat));
        }
        return new JsonObject().put("cluster", true).put("capacity", capacity)
                .put("workerTimeoutMs", workerTimeout.toMillis()).put("workers", list);
    }
}
