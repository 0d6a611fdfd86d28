package org.chorus.contribution;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.AsyncResult;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Group commit for contributions: statements that arrive while earlier batches are being committed wait
 * and then go together, as one transaction (one WAL flush for many rows, each still committed before its
 * acknowledgement). When nothing is in flight a statement goes at once, so a quiet room pays no delay. One
 * bad row does not fail its batch-mates: a failed batch is retried row by row. Thread-safe; each result
 * is delivered on the caller's own context.
 */
final class GroupCommit {
  private record Pending(Tuple row, Promise<RowSet<Row>> done, Context context) {}

  private final Pool pool;
  private final String sql;
  private final int maxBatch;
  private final int maxInFlight;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private int inFlight;

  GroupCommit(Pool pool, String sql, int maxBatch, int maxInFlight) {
    this.pool = pool;
    this.sql = sql;
    this.maxBatch = maxBatch;
    this.maxInFlight = maxInFlight;
  }

  Future<RowSet<Row>> execute(Tuple row) {
    Promise<RowSet<Row>> done = Promise.promise();
    synchronized (this) {
      queue.add(new Pending(row, done, Vertx.currentContext()));
    }
    drain();
    return done.future();
  }

  private void drain() {
    List<Pending> batch = new ArrayList<>();
    synchronized (this) {
      if (inFlight >= maxInFlight || queue.isEmpty()) {
        return;
      }
      while (!queue.isEmpty() && batch.size() < maxBatch) {
        batch.add(queue.poll());
      }
      inFlight++;
    }
    List<Tuple> rows = batch.stream().map(Pending::row).toList();
    Future<RowSet<Row>> committed = batch.size() == 1
        ? pool.preparedQuery(sql).execute(rows.get(0))
        : pool.withTransaction(conn -> conn.preparedQuery(sql).executeBatch(rows));
    committed.onComplete(ar -> {
      synchronized (this) {
        inFlight--;
      }
      if (ar.succeeded()) {
        RowSet<Row> result = ar.result();
        for (Pending p : batch) {
          complete(p, Future.succeededFuture(result));
          result = result.next();
        }
      } else if (batch.size() == 1) {
        complete(batch.get(0), Future.failedFuture(ar.cause()));
      } else {
        for (Pending p : batch) {
          pool.preparedQuery(sql).execute(p.row()).onComplete(one -> complete(p, one));
        }
      }
      drain();
    });
  }

  private static void complete(Pending p, AsyncResult<RowSet<Row>> result) {
    if (p.context() == null) {
      p.done().handle(result);
    } else {
      p.context().runOnContext(v -> p.done().handle(result));
    }
  }
}
