package actorgraph.neo4jlauncher;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

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
import org.neo4j.logging.Level;
import org.neo4j.logging.log4j.Log4jLogProvider;

/**
 * Runs a Neo4j Community DBMS in this JVM with only a Bolt connector on loopback.
 * Meant for tests and local development; started and stopped by neo4j-launcher/neo4jctl.
 *
 * <p>Usage: {@code java -cp <classpath> actorgraph.neo4jlauncher.Launcher [dataDir] [port]}.
 * Falls back to env NEO4J_DATA_DIR / NEO4J_PORT, then to ./neo4j-data and 17687.
 *
 * <p>Contract with the caller: once the default database is available, exactly one line
 * {@code NEO4J READY bolt://127.0.0.1:<port>} is written to stdout. Everything else
 * (Neo4j's own log) goes to stderr. SIGTERM/SIGINT shut the DBMS down cleanly.
 */
public final class Launcher {
    private static final String HOST = "127.0.0.1"; // loopback only, never 0.0.0.0

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(arg(args, 0, "NEO4J_DATA_DIR", "neo4j-data")).toAbsolutePath();
        int port = Integer.parseInt(arg(args, 1, "NEO4J_PORT", "17687"));
        PrintStream out = System.out;

        long t0 = System.nanoTime();
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(dataDir)
                // Neo4j's user log to stderr, so the caller's log file captures it.
                .setUserLogProvider(new Log4jLogProvider(System.err, Level.INFO))
                // Bolt only, bound to loopback; advertise the same address so that
                // neo4j:// (client-side routing) hands back a reachable address.
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(HOST, port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress(HOST, port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                // Local/test server: no auth, no usage-data reporting (dbms.usage_report.enabled).
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                // Keep the footprint small: 256 MiB page cache, no preallocated tx logs.
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(256))
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                // Bolt's Netty event loops otherwise wait a 5 s quiet period on shutdown;
                // a throwaway server can stop at once (internal setting, 5.26).
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .build();

        // Clean shutdown on SIGTERM/SIGINT (the JVM runs shutdown hooks for both).
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("neo4j-launcher: shutting down");
            try {
                dbms.shutdown();
                System.err.println("neo4j-launcher: stopped");
            } finally {
                stopped.countDown();
            }
        }, "neo4j-shutdown"));

        // Wait for the default database ("neo4j") to come online before announcing.
        GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        if (!db.isAvailable(TimeUnit.MINUTES.toMillis(5))) {
            System.err.println("neo4j-launcher: database did not become available");
            System.exit(1);
        }
        System.err.printf("neo4j-launcher: ready after %d ms%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        out.println("NEO4J READY bolt://" + HOST + ":" + port);
        out.flush();

        // Neo4j's threads keep the JVM alive; park main until the shutdown hook has run.
        stopped.await();
    }

    /** Positional argument, else environment variable, else default. */
    private static String arg(String[] args, int i, String env, String dflt) {
        if (args.length > i && !args[i].isBlank()) {
            return args[i];
        }
        String v = System.getenv(env);
        return v == null || v.isBlank() ? dflt : v;
    }
}
