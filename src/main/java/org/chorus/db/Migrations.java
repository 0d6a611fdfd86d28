package org.chorus.db;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Versioned schema migrations: {@code db/V1__name.sql}, {@code db/V2__name.sql}, … on the classpath,
 * listed in {@code db/migrations.txt}. All pending ones are applied in one transaction under an
 * advisory lock, so two nodes starting together apply each exactly once. A recorded migration whose
 * file changed since is refused rather than silently skipped.
 */
public final class Migrations {
  static final String INDEX = "/db/migrations.txt";
  private static final long LOCK_KEY = 0x43686f727573L; // "Chorus"

  static final String CREATE_VERSION_TABLE = """
      CREATE TABLE IF NOT EXISTS schema_version (
        version    integer PRIMARY KEY,
        name       text NOT NULL,
        checksum   text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )""";
  static final String LOCK = "SELECT pg_advisory_xact_lock($1)";
  static final String APPLIED = "SELECT version, checksum FROM schema_version";
  static final String RECORD = "INSERT INTO schema_version (version, name, checksum) VALUES ($1, $2, $3)";

  record Migration(int version, String name, String sql, String checksum) {}

  private final Pool pool;

  public Migrations(Pool pool) {
    this.pool = pool;
  }

  /** Applies what is pending; returns how many were applied now. */
  public Future<Integer> apply() {
    List<Migration> all;
    try {
      all = load();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return pool.withTransaction(conn -> conn.preparedQuery(LOCK).execute(Tuple.of(LOCK_KEY))
        .compose(v -> conn.query(CREATE_VERSION_TABLE).execute())
        .compose(v -> conn.preparedQuery(APPLIED).execute())
        .compose(rows -> {
          Map<Integer, String> applied = new HashMap<>();
          for (Row row : rows) {
            applied.put(row.getInteger("version"), row.getString("checksum"));
          }
          List<Migration> pending = new ArrayList<>();
          for (Migration m : all) {
            String checksum = applied.get(m.version());
            if (checksum == null) {
              pending.add(m);
            } else if (!checksum.equals(m.checksum())) {
              return Future.failedFuture(new IllegalStateException("migration V" + m.version() + "__" + m.name()
                  + " was changed after it was applied; add a new migration instead"));
            }
          }
          return applyInOrder(conn, pending, 0).map(pending.size());
        }));
  }

  private Future<Void> applyInOrder(SqlConnection conn, List<Migration> pending, int index) {
    if (index == pending.size()) {
      return Future.succeededFuture();
    }
    Migration m = pending.get(index);
    // A migration file holds several DDL statements: the simple-query protocol runs them as one script.
    return conn.query(m.sql()).execute()
        .recover(err -> Future.failedFuture(new IllegalStateException(
            "migration V" + m.version() + "__" + m.name() + " failed: " + err.getMessage(), err)))
        .compose(v -> conn.preparedQuery(RECORD).execute(Tuple.of(m.version(), m.name(), m.checksum())))
        .compose(v -> applyInOrder(conn, pending, index + 1));
  }

  static List<Migration> load() {
    List<Migration> out = new ArrayList<>();
    for (String line : resource(INDEX).split("\n")) {
      String file = line.trim();
      if (file.isEmpty() || file.startsWith("#")) {
        continue;
      }
      if (!file.matches("V\\d+__[a-z0-9_]+\\.sql")) {
        throw new IllegalStateException(INDEX + ": '" + file + "' must be named like V2__add_reactions.sql");
      }
      int version = Integer.parseInt(file.substring(1, file.indexOf("__")));
      if (version != out.size() + 1) {
        throw new IllegalStateException(INDEX + ": expected V" + (out.size() + 1) + " next, found " + file);
      }
      String sql = resource("/db/" + file);
      String name = file.substring(file.indexOf("__") + 2, file.length() - 4);
      out.add(new Migration(version, name, sql, sha256(sql)));
    }
    return out;
  }

  private static String resource(String path) {
    try (InputStream in = Migrations.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing migration resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + path, e);
    }
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
