package org.chorus.auth;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/** The persisted deny-list (V10), so that a node started later knows what was revoked before. */
public final class RevocationStore {
  static final String INSERT = """
      INSERT INTO revoked_tokens (token_key, revoked_at, expires_at) VALUES ($1, $2, $3)
      ON CONFLICT (token_key) DO UPDATE SET revoked_at = greatest(revoked_tokens.revoked_at, excluded.revoked_at),
        expires_at = greatest(revoked_tokens.expires_at, excluded.expires_at)""";
  static final String ACTIVE = "SELECT token_key, revoked_at, expires_at FROM revoked_tokens WHERE expires_at > now()";
  static final String PRUNE = "DELETE FROM revoked_tokens WHERE expires_at <= now()";

  private final Pool pool;

  public RevocationStore(Pool pool) {
    this.pool = pool;
  }

  public Future<Void> insert(String key, RevokedTokens.Entry entry) {
    return pool.preparedQuery(INSERT).execute(Tuple.of(key, utc(entry.since()), utc(entry.until()))).mapEmpty();
  }

  /** Entries still in force, by key. */
  public Future<Map<String, RevokedTokens.Entry>> active() {
    return pool.preparedQuery(ACTIVE).execute().map(rows -> {
      Map<String, RevokedTokens.Entry> out = new LinkedHashMap<>();
      for (Row r : rows) {
        out.put(r.getString("token_key"), new RevokedTokens.Entry(r.getOffsetDateTime("revoked_at").toInstant(),
            r.getOffsetDateTime("expires_at").toInstant()));
      }
      return out;
    });
  }

  private static OffsetDateTime utc(Instant t) {
    return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
  }

  /** Deletes entries no token can need any more; returns how many. */
  public Future<Integer> prune() {
    return pool.preparedQuery(PRUNE).execute().map(rows -> rows.rowCount());
  }
}
