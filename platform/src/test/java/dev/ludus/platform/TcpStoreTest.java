package dev.ludus.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store behind H2's TCP server mode: the JDBC URL is all that changes. */
class TcpStoreTest {

    @TempDir
    Path dir;

    @Test
    void sweepRunsAgainstAnH2TcpServer() throws Exception {
        // h2.bindAddress=127.0.0.1 is set for the test JVM in platform/pom.xml (read once by H2)
        Server h2 = Server.createTcpServer("-tcpPort", "0", "-baseDir", dir.toString(), "-ifNotExists").start();
        try {
            int port = h2.getPort();
            assertTrue(port > 0, "H2 TCP port " + port);
            RunningPlatform p = SweepLifecycleTest.start(PlatformConfig.forTests(dir, 1, FakeTrials.executor())
                    .withJdbcUrl("jdbc:h2:tcp://127.0.0.1:" + port + "/ludus-tcp"));
            try {
                Api api = new Api(p.baseUrl());
                Api.Response r = api.post("/api/sweeps", """
                        {"name": "tcp", "task": {"type": "rl", "env": "Fake-v0"}, "params": {"lr": [0.1, 0.2]}}""");
                assertEquals(201, r.status(), r.body());
                JsonObject sweep = api.awaitSweep(r.json().getLong("id"), 30_000);
                assertEquals(2, sweep.getJsonObject("counts").getInteger("finished"));
                long run = api.getArray("/api/sweeps/" + r.json().getLong("id") + "/runs").getJsonObject(0).getLong("id");
                assertEquals(500, api.getJson("/api/runs/" + run + "/series?key=episode/return").getJsonArray("step").size());
            } finally {
                SweepLifecycleTest.stop(p);
            }
            assertTrue(dir.resolve("ludus-tcp.mv.db").toFile().isFile(), "the server's database file holds the data");
        } finally {
            h2.stop();
        }
    }
}
