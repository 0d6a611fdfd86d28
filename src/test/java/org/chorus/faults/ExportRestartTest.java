package org.chorus.faults;

import io.vertx.core.json.JsonObject;
import org.chorus.support.Api;
import org.chorus.support.ReportSeed;
import org.chorus.support.TestServer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;

import static org.chorus.support.Blocking.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node restarts while a large report export streams: the download ends without the final chunk of
 * the chunked response, so every HTTP client (and browser) reports it as failed rather than as a short
 * file; after the restart the same export runs again and is byte for byte the one made before.
 */
class ExportRestartTest {
  static final int ROWS = 30_000;
  /** The last chunk of a chunked HTTP response: without it a download is incomplete. */
  static final String LAST_CHUNK = "\r\n0\r\n\r\n";
  /** Read before the restart, so that the export is well under way (a few hundred rows). */
  static final int EARLY_BYTES = 64 * 1024;

  @Test
  void anExportCutByARestartFailsDetectablyAndRunsCompleteAfterwards() throws Exception {
    try (TestServer server = TestServer.start(c -> {})) {
      Api api = server.api();
      String staff = api.staffToken();
      JsonObject d = api.openDialogue(staff, Api.dialogueBody("Export restart", "post", 100_000, "Q?"));
      String id = d.getString("id");
      await(ReportSeed.seed(server.server().database().pool(), UUID.fromString(id), d.getJsonArray("prompts").getJsonObject(0).getLong("id"),
          300, ROWS, new String[] {"KE", "BR", "IN"}, new String[] {"sw", "pt", "hi"}));
      String path = "/api/report/export.csv?dialogues=" + id;
      Api.Reply first = api.get(path, staff);
      assertEquals(200, first.status(), first.raw());
      String before = first.raw();
      assertEquals(ROWS, seededRows(before), "the export before the restart is complete");

      byte[] cut;
      long restartMillis;
      try (Socket slow = new Socket()) {
        slow.setReceiveBufferSize(4096);
        slow.connect(new InetSocketAddress("127.0.0.1", server.port()));
        slow.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + staff + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        InputStream in = slow.getInputStream();
        byte[] head = in.readNBytes(12);
        assertEquals("HTTP/1.1 200", new String(head, StandardCharsets.US_ASCII), "the export started");
        ByteArrayOutputStream early = new ByteArrayOutputStream();
        early.write(head);
        early.write(in.readNBytes(EARLY_BYTES));
        head = early.toByteArray();
        // It reads nothing more for now: the export is paused mid-way, its cursor open, when the node restarts.
        long start = System.nanoTime();
        server.restart();
        restartMillis = (System.nanoTime() - start) / 1_000_000;
        slow.setSoTimeout(30_000);
        cut = readUntilClosed(in, head);
      }
      String received = new String(cut, StandardCharsets.UTF_8);
      assertTrue(received.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked"), "a streamed (chunked) download");
      assertFalse(received.endsWith(LAST_CHUNK), "the cut download lacks the last chunk: clients see it failed, not short");
      long rowsReceived = seededRows(received);
      assertTrue(rowsReceived > 100 && rowsReceived < ROWS, "it was cut part-way: " + rowsReceived + " rows");

      // After the restart (same data, new port) the staff member runs it again: complete and identical.
      api = server.api();
      Api.Reply again = api.get(path, staff);
      assertEquals(200, again.status(), again.raw());
      assertEquals(before, again.raw(), "the export after the restart is the same, complete one");
      System.out.printf("[faults] export of %d rows cut by a restart (%d ms): %d bytes and %d rows received, then the connection ended without the last chunk;"
          + " run again: %d rows, identical%n", ROWS, restartMillis, cut.length, rowsReceived, seededRows(again.raw()));
    }
  }

  /** Rows of ReportSeed in an export: each one's text starts with "Contribution n:". */
  private static long seededRows(String export) {
    return export.split("Contribution \\d+:", -1).length - 1L;
  }

  /** Everything the server sent until it closed the connection (a reset counts as closed). */
  private static byte[] readUntilClosed(InputStream in, byte[] already) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.write(already);
    byte[] buf = new byte[65536];
    try {
      for (int n; (n = in.read(buf)) >= 0; ) {
        all.write(buf, 0, n);
      }
    } catch (SocketException reset) {
      // closed with a reset: what arrived before it is all there is
    }
    return all.toByteArray();
  }
}
