package org.chorus.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import org.chorus.app.ChorusConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The PostgreSQL store of a node: the external database named by {@code database.url}, or else an
 * embedded PostgreSQL in the data folder. Either way every connection commits synchronously, so an
 * acknowledged write is on disk.
 */
public final class Database {
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);

  private final Vertx vertx;
  private final Pool pool;
  private final EmbeddedDatabase embedded;
  private final String description;

  private Database(Vertx vertx, Pool pool, EmbeddedDatabase embedded, String description) {
    this.vertx = vertx;
    this.pool = pool;
    this.embedded = embedded;
    this.description = description;
  }

  /** Starts the embedded database if needed, connects, checks durability and applies migrations. */
  public static Future<Database> open(Vertx vertx, ChorusConfig config) {
    Future<EmbeddedDatabase> embedded = config.usesExternalDatabase()
        ? Future.succeededFuture(null)
        : vertx.executeBlocking(() -> EmbeddedDatabase.start(config.dataDir()), false);
    return embedded.compose(emb -> {
      PgConnectOptions connect = emb != null ? emb.connectOptions()
          : PgConnectOptions.fromUri(config.string("database.url").replaceFirst("^postgres://", "postgresql://"));
      // Durability does not depend on the server's default: ask for it on every connection.
      connect.setProperties(Map.of("synchronous_commit", "on", "application_name", "chorus"));
      connect.setCachePreparedStatements(true);
      Pool pool = PgBuilder.pool()
          .with(new PoolOptions().setMaxSize(config.intValue("database.poolSize")))
          .connectingTo(connect)
          .using(vertx)
          .build();
      String description = emb != null
          ? "embedded PostgreSQL in " + emb.dataDirectory() + " (port " + emb.port() + ")"
          : "external PostgreSQL at " + connect.getHost() + ":" + connect.getPort() + "/" + connect.getDatabase();
      Database db = new Database(vertx, pool, emb, description);
      return db.checkDurability()
          .compose(v -> new Migrations(pool).apply())
          .compose(applied -> db.openAllConnections(config.intValue("database.poolSize")).map(applied))
          .map(applied -> {
            LOG.info("Database ready: {}; migrations applied now: {}", description, applied);
            return db;
          })
          .recover(err -> db.close().transform(ignored -> Future.failedFuture(err)));
    });
  }

  /** Refuses to run on a server that would acknowledge writes it can lose. */
  private Future<Void> checkDurability() {
    return pool.query("SELECT current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS sc")
        .execute()
        .compose(rows -> {
          Row row = rows.iterator().next();
          if (!"on".equals(row.getString("fsync")) || !"on".equals(row.getString("sc"))) {
            return Future.failedFuture(new IllegalStateException("PostgreSQL runs with fsync=" + row.getString("fsync")
                + ", synchronous_commit=" + row.getString("sc")
                + ": acknowledged contributions would not be durable; turn both on"));
          }
          return Future.succeededFuture();
        });
  }

  public Pool pool() {
    return pool;
  }

  public String description() {
    return description;
  }

  public boolean isEmbedded() {
    return embedded != null;
  }

  /**
   * Opens the pool's connections now instead of at the first burst: a PostgreSQL connection costs a backend
   * process and a handshake (milliseconds each), which the first contributions after a prompt would otherwise
   * wait for. Concurrent queries make the pool open one connection each; the pool keeps them (no idle timeout).
   */
  private Future<Void> openAllConnections(int size) {
    List<Future<Boolean>> opened = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      opened.add(pool.query("SELECT pg_sleep(0.05)").execute().map(rows -> true));
    }
    return Future.all(opened).mapEmpty();
  }

  /** True when a trivial query answers within the pool's connect timeout. */
  public Future<Boolean> ping() {
    return pool.query("SELECT 1").execute().map(rows -> true).otherwise(false);
  }

  public Future<Void> close() {
    // Stopping PostgreSQL waits for its process: keep that off the event loop.
    return pool.close().otherwiseEmpty().compose(v -> embedded == null
        ? Future.<Void>succeededFuture()
        : vertx.<Void>executeBlocking(() -> {
          embedded.close();
          return null;
        }, false));
  }
}
