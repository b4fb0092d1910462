// Test-only Neo4j 5.26 Community server, embedded, speaking Bolt on 127.0.0.1.
//
//   java -Xmx1g <add-opens flags> -cp 'lib/*' Launcher.java HOME PORT [--exit-on-stdin-eof]
//
// HOME holds data/, logs/ (debug.log) and is reused as-is when it already has a store,
// so a killed server can be restarted on the same HOME (crash recovery runs on start).
// Prints exactly one line on stdout, "NEO4J READY bolt://127.0.0.1:PORT", once the
// `neo4j` database is available; everything else goes to stderr or HOME/logs.
// SIGTERM/SIGINT shut the DBMS down cleanly. With --exit-on-stdin-eof it also shuts
// down when stdin closes (i.e. when the parent process dies).
// With the environment variable NEO4J_LAUNCHER_PASSWORD set, authentication is enabled
// and the password of the `neo4j` user is set to it (no change required); otherwise auth
// is disabled.

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;

public class Launcher {
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: Launcher HOME PORT [--exit-on-stdin-eof]");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        boolean exitOnStdinEof = args.length > 2 && "--exit-on-stdin-eof".equals(args[2]);
        String password = System.getenv("NEO4J_LAUNCHER_PASSWORD");
        boolean auth = password != null && !password.isEmpty();
        Files.createDirectories(home);
        // 128 MB unless NEO4J_LAUNCHER_PAGECACHE_MB says otherwise (a million-entity graph needs more to load fast).
        String pagecacheEnv = System.getenv("NEO4J_LAUNCHER_PAGECACHE_MB");
        long pagecacheMb = pagecacheEnv == null || pagecacheEnv.isEmpty() ? 128 : Long.parseLong(pagecacheEnv);

        // Keep stdout for the readiness line only: anything a library prints there goes to stderr.
        PrintStream stdout = System.out;
        System.setOut(System.err);

        long t0 = System.nanoTime();
        DatabaseManagementService managementService = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, auth)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pagecacheMb))
                .setConfig(GraphDatabaseSettings.logs_directory, home.resolve("logs"))
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                // Bolt's netty event loops wait a 5 s quiet period each (boss + worker) on
                // shutdown, i.e. ~10 s per stop; a test server doesn't need that.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(5))
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean(false);
        Runnable stop = () -> {
            if (stopping.compareAndSet(false, true)) {
                try {
                    managementService.shutdown();
                } catch (Throwable t) {
                    t.printStackTrace();
                } finally {
                    stopped.countDown();
                }
            } else {
                try {
                    stopped.await();
                } catch (InterruptedException ignored) {
                }
            }
        };
        // Runs on SIGTERM / SIGINT / System.exit.
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "neo4j-shutdown"));

        if (exitOnStdinEof) {
            Thread watcher = new Thread(() -> {
                try {
                    InputStream in = System.in;
                    byte[] buf = new byte[256];
                    while (in.read(buf) >= 0) {
                        // ignore input
                    }
                } catch (Throwable ignored) {
                }
                System.err.println("Launcher: stdin closed, shutting down");
                System.exit(0); // runs the shutdown hook
            }, "stdin-eof-watcher");
            watcher.setDaemon(true);
            watcher.start();
        }

        GraphDatabaseService db = managementService.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (!db.isAvailable(Duration.ofSeconds(1).toMillis())) {
            if (stopping.get()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                System.err.println("Launcher: database 'neo4j' not available after 5 minutes");
                System.exit(1);
            }
        }
        if (auth) {
            try {
                managementService.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                        "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", java.util.Map.of("pw", password));
            } catch (RuntimeException e) {
                // A restart on the same HOME: the password is already set.
                if (!String.valueOf(e.getMessage()).contains("cannot be the same")) {
                    e.printStackTrace();
                    System.exit(1);
                }
            }
        }
        // NEO4J_LAUNCHER_WARM_UP (set by server.mjs when it dumps the class archive): a few queries, so the classes of
        // the Cypher parser, planner and runtime are loaded, and archived, too. They leave nothing behind.
        if (System.getenv("NEO4J_LAUNCHER_WARM_UP") != null) {
            for (String q : new String[] {
                "CREATE CONSTRAINT launcher_warm_up IF NOT EXISTS FOR (n:LauncherWarmUp) REQUIRE n.id IS UNIQUE",
                "UNWIND range(1, 200) AS i MERGE (n:LauncherWarmUp {id: toString(i)}) SET n.v = i, n.m = {a: [i]}['a']",
                "MATCH (a:LauncherWarmUp) MATCH (b:LauncherWarmUp {id: toString(a.v % 7 + 1)}) MERGE (a)-[:WARM]->(b)",
                "MATCH (n:LauncherWarmUp)-[r]->(m) WHERE type(r) IN $types WITH n, collect(m.id) AS to RETURN n.id, to ORDER BY n.id",
                "MATCH (n:LauncherWarmUp) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 50 ROWS",
                "DROP CONSTRAINT launcher_warm_up",
            }) {
                db.executeTransactionally(q, java.util.Map.of("types", java.util.List.of("WARM")));
            }
        }
        System.err.printf("Launcher: neo4j available after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        stdout.println("NEO4J READY bolt://127.0.0.1:" + port);
        stdout.flush();

        stopped.await(); // keep the JVM alive until shutdown
    }
}
