package org.chorus.db;

import io.vertx.pgclient.PgConnectOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real PostgreSQL server run from the data folder, for a machine with no database installed.
 * Blocking: call it from a worker. Its data survives restarts; fsync and synchronous commit are
 * turned on because the library's defaults turn them off.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);

  static final int STARTUP_WAIT_SECONDS = 60;

  private final EmbeddedPostgres postgres;
  private final Path dataDirectory;

  private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory) {
    this.postgres = postgres;
    this.dataDirectory = dataDirectory;
  }

  public static EmbeddedDatabase start(Path dataDir) {
    Path pgData = dataDir.resolve("postgres");
    Path runtime = dataDir.resolve("postgres-runtime");
    DataFolder.requireUsable(dataDir, !Files.exists(pgData.resolve("PG_VERSION")));
    try {
      Files.createDirectories(runtime);
    } catch (IOException e) {
      throw new IllegalStateException("the folder " + runtime.toAbsolutePath() + " cannot be created: " + e.getMessage(), e);
    }
    // A node killed with kill -9 leaves its PostgreSQL running on the folder: stop that one first.
    OrphanedPostgres.stopIfAny(pgData);
    try {
      EmbeddedPostgres postgres = EmbeddedPostgres.builder()
          .setDataDirectory(pgData)
          .setCleanDataDirectory(false)
          .setOverrideWorkingDirectory(runtime.toFile())
          .setServerConfig("fsync", "on")
          .setServerConfig("synchronous_commit", "on")
          .setServerConfig("full_page_writes", "on")
          .setServerConfig("max_connections", "200")
          // Crash recovery replays the WAL before accepting connections: allow it more than the library's 10 s.
          .setPGStartupWait(Duration.ofSeconds(STARTUP_WAIT_SECONDS))
          .start();
      LOG.info("Embedded PostgreSQL started on port {} with data in {}", postgres.getPort(), pgData);
      return new EmbeddedDatabase(postgres, pgData);
    } catch (IOException e) {
      throw new IllegalStateException("could not start the embedded PostgreSQL in " + pgData + ": " + e.getMessage(), e);
    }
  }

  public PgConnectOptions connectOptions() {
    return new PgConnectOptions()
        .setHost("localhost")
        .setPort(postgres.getPort())
        .setDatabase("postgres")
        .setUser("postgres");
  }

  public int port() {
    return postgres.getPort();
  }

  public Path dataDirectory() {
    return dataDirectory;
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
