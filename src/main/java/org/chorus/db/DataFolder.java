package org.chorus.db;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Checks that the data folder can hold the embedded database before PostgreSQL is started, so that a
 * wrong path, a read-only mount or a full disk stops the start with one sentence naming the folder and
 * what to do, instead of a stack trace from deep inside initdb. Blocking: call it from a worker.
 */
final class DataFolder {
  /** A first start extracts the PostgreSQL binaries and runs initdb (~80 MB together), with room to spare. */
  static final long FIRST_START_BYTES = 128L * 1024 * 1024;
  /** Later starts need room for at least a couple of WAL segments (16 MB each). */
  static final long LATER_START_BYTES = 48L * 1024 * 1024;
  private static final String WHAT_TO_DO = "set dataDir (CHORUS_DATA_DIR) to a folder on a disk with free space that Chorus can write";

  private DataFolder() {}

  /** Creates {@code dir} if needed and proves it writable and roomy enough; throws {@link IllegalStateException} with the sentence. */
  static void requireUsable(Path dir, boolean firstStart) {
    Path shown = dir.toAbsolutePath();
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new IllegalStateException("the data folder " + shown + " is a file, not a folder: move that file away or " + WHAT_TO_DO);
    }
    try {
      Files.createDirectories(dir);
    } catch (FileAlreadyExistsException e) {
      throw new IllegalStateException("the data folder " + shown + " cannot be created because " + e.getFile()
          + " is a file: move that file away or " + WHAT_TO_DO);
    } catch (IOException e) {
      Path blocking = firstExistingAncestor(shown);
      if (blocking != null && !Files.isDirectory(blocking)) {
        throw new IllegalStateException("the data folder " + shown + " cannot be created because " + blocking
            + " is a file: move that file away or " + WHAT_TO_DO);
      }
      throw new IllegalStateException("the data folder " + shown + " cannot be created (" + reason(e) + "): " + WHAT_TO_DO);
    }
    probeWrite(dir, shown);
    long usable;
    try {
      usable = Files.getFileStore(dir).getUsableSpace();
    } catch (IOException e) {
      throw new IllegalStateException("the free space of the data folder " + shown + " cannot be read (" + reason(e) + "): " + WHAT_TO_DO);
    }
    long needed = firstStart ? FIRST_START_BYTES : LATER_START_BYTES;
    if (usable < needed) {
      throw new IllegalStateException("the data folder " + shown + " has only " + megabytes(usable) + " MB free and the database needs at least "
          + megabytes(needed) + " MB: free some space there or " + WHAT_TO_DO);
    }
  }

  /**
   * Writes, syncs and deletes a small file. Permission bits do not stop root, so only a real write shows a
   * read-only mount or a disk with no room left.
   */
  private static void probeWrite(Path dir, Path shown) {
    Path probe = dir.resolve(".chorus-write-probe");
    try (FileChannel channel = FileChannel.open(probe, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      channel.write(ByteBuffer.allocate(64 * 1024));
      channel.force(true);
    } catch (IOException e) {
      throw new IllegalStateException("the data folder " + shown + " is not writable (" + reason(e) + "): " + WHAT_TO_DO);
    } finally {
      try {
        Files.deleteIfExists(probe);
      } catch (IOException ignored) {
        // a read-only folder: the probe was never created
      }
    }
  }

  private static Path firstExistingAncestor(Path dir) {
    Path p = dir.getParent();
    while (p != null && !Files.exists(p)) {
      p = p.getParent();
    }
    return p;
  }

  /** The operating system's words ("Read-only file system", "No space left on device"), without the path again. */
  private static String reason(IOException e) {
    if (e instanceof FileSystemException fs) {
      return fs.getReason() != null ? fs.getReason() : fs.getClass().getSimpleName().replace("Exception", "");
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static long megabytes(long bytes) {
    return bytes / (1024 * 1024);
  }
}
