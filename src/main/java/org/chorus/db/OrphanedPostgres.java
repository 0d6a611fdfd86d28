package org.chorus.db;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The embedded PostgreSQL runs as its own process (pg_ctl detaches it), so when the node's JVM is killed
 * (kill -9, OOM killer) the database keeps running on the data folder and a restart could not start a
 * new one there. Before starting, this finds such an orphan through {@code postmaster.pid} and stops it
 * cleanly (SIGTERM: PostgreSQL's smart shutdown, which completes as soon as the dead node's connections
 * are gone). A database still used by a live node (its lock file is held) is never touched. Blocking.
 */
final class OrphanedPostgres {
  private static final Logger LOG = LoggerFactory.getLogger(OrphanedPostgres.class);
  /** Held by the running embedded PostgreSQL library while a node uses the folder. */
  static final String LIBRARY_LOCK = "epg-lock";
  static final String PID_FILE = "postmaster.pid";
  static final long STOP_WAIT_SECONDS = 60;

  private OrphanedPostgres() {}

  /** Stops a PostgreSQL left running on {@code pgData} by a node that died; does nothing when there is none. */
  static void stopIfAny(Path pgData) {
    Path pidFile = pgData.resolve(PID_FILE);
    if (!Files.isRegularFile(pidFile)) {
      return;
    }
    requireNoLiveNode(pgData);
    Optional<Long> pid = readPid(pidFile);
    Optional<ProcessHandle> process = pid.flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
    if (process.isEmpty()) {
      // PostgreSQL removes a lock file whose process is gone by itself and recovers from its WAL.
      LOG.info("The embedded PostgreSQL in {} did not shut down cleanly last time (no process {} runs now); it recovers from its write-ahead log",
          pgData, pid.map(String::valueOf).orElse("?"));
      return;
    }
    ProcessHandle orphan = process.get();
    if (!isPostgres(orphan)) {
      // The process id was reused by something else after a crash: the lock file is stale, and PostgreSQL
      // would refuse to start as long as a live process has that id.
      LOG.warn("Removing a stale {} in {}: process {} is not PostgreSQL", PID_FILE, pgData, orphan.pid());
      deleteStale(pidFile);
      return;
    }
    LOG.warn("Found a PostgreSQL (pid {}) still running on {}, left by a node that stopped without shutting it down; stopping it cleanly before starting",
        orphan.pid(), pgData);
    orphan.destroy();
    try {
      orphan.onExit().get(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("an earlier PostgreSQL (pid " + orphan.pid() + ") still runs on the data folder " + pgData.toAbsolutePath()
          + " and did not stop within " + STOP_WAIT_SECONDS + " s: stop it (kill -INT " + orphan.pid() + ") and start Chorus again");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the earlier PostgreSQL (pid " + orphan.pid() + ") to stop", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not wait for the earlier PostgreSQL (pid " + orphan.pid() + ") to stop", e);
    }
    LOG.info("The earlier PostgreSQL (pid {}) stopped; starting a new one on {}", orphan.pid(), pgData);
  }

  /** A node that is alive holds the library's lock on the folder: then the database is in use, not orphaned. */
  private static void requireNoLiveNode(Path pgData) {
    Path lockFile = pgData.resolve(LIBRARY_LOCK);
    if (!Files.exists(lockFile)) {
      return;
    }
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE); FileLock lock = channel.tryLock()) {
      if (lock == null) {
        throw inUse(pgData);
      }
    } catch (OverlappingFileLockException e) {
      throw inUse(pgData);
    } catch (IOException e) {
      throw new IllegalStateException("cannot check whether another node uses the data folder " + pgData.toAbsolutePath() + ": " + e.getMessage(), e);
    }
  }

  private static IllegalStateException inUse(Path pgData) {
    return new IllegalStateException("the database in " + pgData.toAbsolutePath()
        + " is in use by another running Chorus node: stop that node first, or give this one its own dataDir (CHORUS_DATA_DIR)");
  }

  /** The first line of postmaster.pid is the postmaster's process id. */
  private static Optional<Long> readPid(Path pidFile) {
    try {
      List<String> lines = Files.readAllLines(pidFile);
      return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | NumberFormatException e) {
      LOG.warn("Cannot read {}: {}", pidFile, e.toString());
      return Optional.empty();
    }
  }

  private static boolean isPostgres(ProcessHandle process) {
    return process.info().command().map(c -> Path.of(c).getFileName().toString().equals("postgres")).orElse(false);
  }

  private static void deleteStale(Path pidFile) {
    try {
      Files.deleteIfExists(pidFile);
    } catch (IOException e) {
      throw new IllegalStateException("cannot remove the stale " + pidFile.toAbsolutePath() + ": " + e.getMessage(), e);
    }
  }
}
