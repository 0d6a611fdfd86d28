package org.chorus.bench;

import org.chorus.db.EmbeddedDatabase;

import java.nio.file.Path;

/**
 * A standalone durable PostgreSQL for multi-node runs of the harness (nodes need one shared database):
 * {@code mvn -q -Pbench test-compile exec:java -Dexec.mainClass=org.chorus.bench.BenchDatabase -Dexec.args=/tmp/chorus-db}
 * prints the DATABASE_URL to give every node and runs until stopped.
 */
public final class BenchDatabase {
  public static void main(String[] args) throws Exception {
    EmbeddedDatabase db = EmbeddedDatabase.start(Path.of(args.length > 0 ? args[0] : "bench-db"));
    System.out.println("DATABASE_URL=postgresql://postgres@localhost:" + db.port() + "/postgres");
    Runtime.getRuntime().addShutdownHook(new Thread(db::close));
    Thread.currentThread().join();
  }
}
