package org.chorus.contribution;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.chorus.support.OnSharedServer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.chorus.support.Blocking.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Group commit against the real database: batches form under load, a bad row fails alone, every result reaches its caller. */
class GroupCommitTest extends OnSharedServer {
  @Test
  void concurrentWritesAreBatchedAndABadRowFailsAloneOnItsCallersContext() throws Exception {
    Pool pool = server.server().database().pool();
    await(pool.query("CREATE TABLE IF NOT EXISTS group_commit_probe (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
        + "v integer NOT NULL CHECK (v >= 0))").execute());
    GroupCommit commits = new GroupCommit(pool, "INSERT INTO group_commit_probe (v) VALUES ($1) RETURNING id", 16, 2);
    Vertx vertx = server.vertx;
    int writes = 300;
    List<CompletableFuture<String>> results = new ArrayList<>();
    for (int i = 0; i < writes; i++) {
      int v = i % 50 == 7 ? -1 : i; // 6 rows break the CHECK constraint
      CompletableFuture<String> result = new CompletableFuture<>();
      results.add(result);
      vertx.runOnContext(x -> {
        Thread caller = Thread.currentThread();
        commits.execute(Tuple.of(v)).onComplete(ar -> result.complete(
            (Thread.currentThread() == caller ? "" : "WRONG THREAD ") + (ar.succeeded() ? "ok:" + ar.result().size() : "failed")));
      });
    }
    int ok = 0;
    int failed = 0;
    for (CompletableFuture<String> r : results) {
      String outcome = r.get(60, TimeUnit.SECONDS);
      assertTrue(!outcome.startsWith("WRONG"), outcome);
      if (outcome.equals("ok:1")) {
        ok++;
      } else {
        assertEquals("failed", outcome);
        failed++;
      }
    }
    assertEquals(6, failed, "only the bad rows fail");
    assertEquals(writes - 6, ok);
    long stored = await(pool.query("SELECT count(*) FROM group_commit_probe").execute()).iterator().next().getLong(0);
    assertEquals(writes - 6, stored, "each good row stored once, none twice after a batch was retried row by row");
    await(pool.query("DROP TABLE group_commit_probe").execute());
  }
}
