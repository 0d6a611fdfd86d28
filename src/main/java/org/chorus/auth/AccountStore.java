package org.chorus.auth;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Staff and facilitator accounts. Children have no account. */
public final class AccountStore {
  static final String FIND_BY_USERNAME = "SELECT id, username, password_hash, role, created_at FROM accounts WHERE username = $1";
  static final String FIND_BY_ID = "SELECT id, username, password_hash, role, created_at FROM accounts WHERE id = $1";
  static final String INSERT = """
      INSERT INTO accounts (id, username, password_hash, role, created_by) VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT (username) DO NOTHING RETURNING created_at""";
  static final String LIST = "SELECT id, username, password_hash, role, created_at FROM accounts ORDER BY role, username";
  static final String COUNT_STAFF = "SELECT count(*) AS n FROM accounts WHERE role = 'staff'";
  /** Only if the hash is still the one that was verified (a concurrent change wins). */
  static final String UPGRADE_HASH = "UPDATE accounts SET password_hash = $3 WHERE id = $1 AND password_hash = $2";

  public record Account(UUID id, String username, String passwordHash, Role role, OffsetDateTime createdAt) {}

  private final Pool pool;

  public AccountStore(Pool pool) {
    this.pool = pool;
  }

  public Future<Optional<Account>> findByUsername(String username) {
    return pool.preparedQuery(FIND_BY_USERNAME).execute(Tuple.of(username)).map(rows -> first(rows));
  }

  public Future<Optional<Account>> findById(UUID id) {
    return pool.preparedQuery(FIND_BY_ID).execute(Tuple.of(id)).map(rows -> first(rows));
  }

  /** Empty when the username is taken. */
  public Future<Optional<Account>> insert(UUID id, String username, String passwordHash, Role role, UUID createdBy) {
    return pool.preparedQuery(INSERT).execute(Tuple.of(id, username, passwordHash, role.wire(), createdBy))
        .map(rows -> rows.size() == 0 ? Optional.empty()
            : Optional.of(new Account(id, username, passwordHash, role, rows.iterator().next().getOffsetDateTime("created_at"))));
  }

  /** Replaces {@code verified} by {@code stronger}; false when the stored hash changed meanwhile. */
  public Future<Boolean> upgradeHash(UUID id, String verified, String stronger) {
    return pool.preparedQuery(UPGRADE_HASH).execute(Tuple.of(id, verified, stronger)).map(rows -> rows.rowCount() == 1);
  }

  public Future<List<Account>> list() {
    return pool.preparedQuery(LIST).execute().map(rows -> {
      List<Account> out = new ArrayList<>();
      rows.forEach(r -> out.add(map(r)));
      return out;
    });
  }

  public Future<Long> countStaff() {
    return pool.preparedQuery(COUNT_STAFF).execute().map(rows -> rows.iterator().next().getLong("n"));
  }

  private static Optional<Account> first(Iterable<Row> rows) {
    var it = rows.iterator();
    return it.hasNext() ? Optional.of(map(it.next())) : Optional.empty();
  }

  private static Account map(Row r) {
    return new Account(r.getUUID("id"), r.getString("username"), r.getString("password_hash"),
        Role.fromWire(r.getString("role")), r.getOffsetDateTime("created_at"));
  }
}
