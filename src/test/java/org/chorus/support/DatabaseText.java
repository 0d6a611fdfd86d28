package org.chorus.support;

import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.chorus.support.Blocking.await;

/**
 * Reads a test database back as text: every row of every table (for "is this stored anywhere?" checks — the
 * privacy tests), and single counts.
 */
public final class DatabaseText {
  private DatabaseText() {}

  /** Table name → each row as PostgreSQL's text form of the whole row (every column). */
  public static Map<String, List<String>> everyRow(Pool pool) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Row t : await(pool.preparedQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1")
        .execute())) {
      String table = t.getString(0);
      List<String> rows = new ArrayList<>();
      // the table name comes from the catalogue, not from input
      for (Row r : await(pool.query("SELECT t::text FROM \"" + table + "\" t").execute())) {
        rows.add(r.getString(0));
      }
      out.put(table, rows);
    }
    return out;
  }

  public static long count(Pool pool, String sql, Object... params) {
    return await(pool.preparedQuery(sql).execute(Tuple.from(params))).iterator().next().getLong(0);
  }
}
