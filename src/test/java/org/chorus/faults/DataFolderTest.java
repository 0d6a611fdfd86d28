package org.chorus.faults;

import org.chorus.support.ServerProcess;
import org.chorus.support.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A data folder the embedded database cannot use stops the start with one line naming the folder and
 * what to do, no stack trace, and a non-zero exit code. The tests run as root, whom permission bits do
 * not stop, so a read-only and a full disk are real tmpfs mounts; where mounting is not allowed (an
 * unprivileged container) only the cases without a mount are exercised, and the test says so.
 */
class DataFolderTest {
  Path root;

  @BeforeEach
  void setUp() throws IOException {
    root = Files.createTempDirectory("chorus-disk-");
  }

  @AfterEach
  void tearDown() {
    TestServer.deleteTree(root);
  }

  @Test
  void aDataFolderThatIsAFileOrUnderAFileIsRefusedInOneLine() throws IOException {
    Path file = Files.writeString(root.resolve("data"), "not a folder");
    refusedWith(file, "is a file, not a folder");
    refusedWith(file.resolve("inside"), "cannot be created because " + file + " is a file");
  }

  @Test
  void aReadOnlyOrFullDiskIsRefusedInOneLine() throws Exception {
    Path readOnly = root.resolve("read-only");
    Path nearlyFull = root.resolve("small");
    Path full = root.resolve("full");
    if (!mount(readOnly, "ro,size=1m")) {
      System.out.println("[faults] mounting a tmpfs is not allowed here: the read-only and full-disk start-ups were not exercised");
      return;
    }
    try {
      refusedWith(readOnly, "is not writable (Read-only file system)");
      assertTrue(mount(nearlyFull, "size=8m"));
      refusedWith(nearlyFull, "MB free and the database needs at least");
      assertTrue(mount(full, "size=1m"));
      fill(full);
      refusedWith(full, "is not writable (No space left on device)");
    } finally {
      for (Path mounted : List.of(readOnly, nearlyFull, full)) {
        run("umount", mounted.toString());
      }
    }
  }

  private static void refusedWith(Path dataDir, String reason) {
    ServerProcess node = ServerProcess.launch(dataDir, ServerProcess.freePort(), Map.of());
    try {
      int exit = node.awaitExit(Duration.ofSeconds(60));
      String output = node.output();
      assertNotEquals(0, exit, output);
      List<String> errors = output.lines().filter(l -> l.contains("cannot start")).toList();
      assertEquals(1, errors.size(), "one line says why:\n" + output);
      String line = errors.get(0);
      assertTrue(line.contains(dataDir.toAbsolutePath().toString()), "it names the folder: " + line);
      assertTrue(line.contains(reason), "it says what is wrong (" + reason + "): " + line);
      assertTrue(line.contains("CHORUS_DATA_DIR"), "it says what to do: " + line);
      assertFalse(output.contains("Exception") || output.contains("\tat "), "no stack trace:\n" + output);
      System.out.println("[faults] " + line);
    } finally {
      node.close();
    }
  }

  private static boolean mount(Path at, String options) throws Exception {
    Files.createDirectories(at);
    return run("mount", "-t", "tmpfs", "-o", options, "tmpfs", at.toString()) == 0;
  }

  /** Writes until the file system refuses: a disk with not one block left. */
  private static void fill(Path dir) throws IOException {
    try (OutputStream out = Files.newOutputStream(dir.resolve("filler"))) {
      byte[] block = new byte[4096];
      while (true) {
        out.write(block);
      }
    } catch (IOException expected) {
      assertTrue(expected.getMessage().contains("No space left"), expected.getMessage());
    }
  }

  private static int run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
  }
}
