package dev.ludus.platform.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import dev.ludus.platform.Ludus;
import dev.ludus.platform.store.MetricBatch;
import dev.ludus.platform.store.MetricBatchCodec;
import dev.ludus.platform.store.Trial;
import dev.ludus.platform.store.TrialCodec;
import dev.ludus.run.Cores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * How a Ludus process joins the cluster: a clustered Vert.x on Hazelcast, configured in code. Hazelcast
 * joins over TCP/IP to the listed members only (multicast and auto-detection off), binds only the given
 * interface (loopback unless the user names one), never phones home, and names its cluster after a hash of
 * the token so members started with another token form their own cluster. The event bus (Vert.x's own TCP
 * connections, where trials and metrics travel) binds the same interface and, with {@link Tls}, is
 * encrypted and mutually authenticated. Hazelcast's own membership traffic is not encrypted (TLS for it is
 * a Hazelcast Enterprise feature): docs/design.md says what that exposes.
 */
public final class ClusterNetwork {

    /** The key and certificate (PEM) every member presents and trusts on the event bus. */
    public record Tls(Path key, Path cert) {
        public Tls {
            for (Path p : List.of(key, cert)) {
                if (!Files.isReadable(p)) {
                    throw new IllegalArgumentException("--cluster-tls: cannot read " + p);
                }
            }
        }
    }

    /**
     * Where this member listens and whom it joins.
     *
     * @param host    interface for Hazelcast and the event bus (an address or a name of this machine)
     * @param port    Hazelcast port (the coordinator's is the one workers join)
     * @param members {@code host:port} of members to join (a worker: the coordinator); empty for the first
     * @param token   the shared secret; its hash names the Hazelcast cluster
     * @param tls     event bus encryption, or null
     * @param role    "coordinator" or "worker" (a Hazelcast member attribute, visible in its logs)
     */
    public record Member(String host, int port, List<String> members, String token, Tls tls, String role) {
        public Member {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("--cluster-port: must be 1..65535, got " + port);
            }
            if (token == null || token.isBlank()) {
                throw new IllegalArgumentException("--token: a cluster needs a token");
            }
            members = List.copyOf(members);
        }
    }

    private ClusterNetwork() {
    }

    /** Starts a clustered Vert.x for {@code member} with the Ludus codecs registered. */
    public static Future<Vertx> start(Member member) {
        String ip;
        try {
            ip = address(member.host());
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
        // Hazelcast logs every membership change at INFO through java.util.logging: keep warnings only
        Logger.getLogger("com.hazelcast").setLevel(Level.WARNING);
        EventBusOptions bus = new EventBusOptions().setHost(ip).setPort(0).setClusterPublicHost(ip);
        if (member.tls() != null) {
            bus.setSsl(true)
                    .setKeyCertOptions(new PemKeyCertOptions().setKeyPath(member.tls().key().toString())
                            .setCertPath(member.tls().cert().toString()))
                    .setTrustOptions(new PemTrustOptions().addCertPath(member.tls().cert().toString()))
                    .setClientAuth(ClientAuth.REQUIRED);
        }
        return Vertx.builder().with(options(bus))
                .withClusterManager(new HazelcastClusterManager(hazelcast(member, ip)))
                .buildClustered()
                .map(vertx -> {
                    vertx.eventBus().registerDefaultCodec(MetricBatch.class, new MetricBatchCodec());
                    vertx.eventBus().registerDefaultCodec(Trial.class, new TrialCodec());
                    vertx.eventBus().registerDefaultCodec(Assignment.class, new AssignmentCodec());
                    return vertx;
                });
    }

    /** {@link Ludus#vertxOptions()} (sized for this process's share of the cores) with the cluster's event bus. */
    static VertxOptions options(EventBusOptions bus) {
        return Ludus.vertxOptions().setEventBusOptions(bus);
    }

    /**
     * Hazelcast's partitions. A Ludus cluster is a coordinator and a few workers whose only shared data are
     * Vert.x's small maps (event bus subscriptions, node info); the default 271 partitions cost every member
     * a partition table to replicate and hundreds of migrations on each join and leave. Every member must
     * use the same count, which holds as they all take it from here.
     */
    static final int PARTITIONS = 23;

    static Config hazelcast(Member member, String ip) {
        Config config = vertxMaps();
        config.setClusterName("ludus-" + sha256(member.token()).substring(0, 24));
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        // a member killed with kill -9 leaves the member list within seconds, not the default minute
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", "6");
        // sized for a coordinator and a few workers that share two small maps, on machines whose cores belong
        // to the trials: a few partitions and threads, no metrics collection (it ran every 5 s on every
        // member, publishing to JMX for a Management Center Ludus does not use), no health monitor
        config.setProperty("hazelcast.partition.count", String.valueOf(PARTITIONS));
        config.setProperty("hazelcast.io.thread.count", "1");
        config.setProperty("hazelcast.event.thread.count", "1");
        config.setProperty("hazelcast.operation.generic.thread.count", "1");
        // Hazelcast's default is one partition thread per core of the machine (at least 2), not of this share
        config.setProperty("hazelcast.operation.thread.count", String.valueOf(Cores.available()));
        config.setProperty("hazelcast.health.monitoring.level", "OFF");
        config.getMetricsConfig().setEnabled(false);
        config.getJetConfig().setEnabled(false);
        config.getMemberAttributeConfig().setAttribute("ludus.role", member.role());
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(member.port()).setPortAutoIncrement(false).setReuseAddress(true); // a restart after kill -9 rebinds at once
        network.getInterfaces().setEnabled(true).addInterface(ip);
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(2)
                .setMembers(member.members().isEmpty() ? List.of(ip + ":" + member.port()) : member.members());
        return config;
    }

    /**
     * The maps Vert.x keeps in Hazelcast, as its {@code default-cluster.xml} declares them (one backup each),
     * built in code: reading that file validated it against Hazelcast's XML schema on every start.
     */
    private static Config vertxMaps() {
        Config config = new Config();
        config.addMultiMapConfig(new MultiMapConfig("__vertx.subs").setBackupCount(1)
                .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
        config.addMapConfig(new MapConfig("__vertx.haInfo").setBackupCount(1));
        config.addMapConfig(new MapConfig("__vertx.nodeInfo").setBackupCount(1));
        return config;
    }

    /** The IP address of {@code host} (Hazelcast binds interfaces by address). */
    static String address(String host) {
        try {
            return InetAddress.getByName(host).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--cluster-host: unknown host " + host);
        }
    }

    static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Constant-time comparison of a presented token with the expected one. */
    static boolean tokenMatches(String expected, String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8));
    }
}
