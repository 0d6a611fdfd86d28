package org.chorus.report;

import io.vertx.core.json.JsonObject;
import org.chorus.support.Api;
import org.chorus.support.OnSharedServer;
import org.chorus.support.ReportSeed;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static org.chorus.support.Blocking.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A large export streams under back-pressure: a second one waits its turn, a client that leaves frees everything. */
class ExportStreamingTest extends OnSharedServer {
  static final int ROWS = 60_000;

  @Test
  void aSecondExportIsRefusedWhileOneRunsAndAClientThatLeavesStopsTheStreamAndFreesIt() throws Exception {
    JsonObject d = api.openDialogue(staff, Api.dialogueBody("Big export", "post", 100_000, "Q?"));
    String id = d.getString("id");
    long prompt = d.getJsonArray("prompts").getJsonObject(0).getLong("id");
    await(ReportSeed.seed(server.server().database().pool(), UUID.fromString(id), prompt, 600, ROWS,
        new String[] {"KE", "BR", "IN"}, new String[] {"sw", "pt", "hi"}));
    String path = "/api/report/export.csv?dialogues=" + id;

    try (Socket slow = new Socket()) {
      slow.setReceiveBufferSize(4096);
      slow.connect(new InetSocketAddress("127.0.0.1", server.port()));
      OutputStream out = slow.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + staff + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = slow.getInputStream();
      byte[] head = new byte[12];
      assertEquals(12, in.readNBytes(head, 0, 12));
      assertEquals("HTTP/1.1 200", new String(head, StandardCharsets.US_ASCII), "the export started");
      // The slow client reads nothing more: the server's write queue fills and the cursor pauses.
      Api.Reply second = api.get(path, staff);
      assertEquals(409, second.status(), "a second export of the same person while the first runs");
      assertEquals("export_in_progress", second.errorCode());
    }

    // The slow client went away: the stream stops, the connection and the lock are released.
    long deadline = System.nanoTime() + 20_000_000_000L;
    Api.Reply again;
    do {
      Thread.sleep(100);
      again = api.get(path, staff);
    } while (again.status() == 409 && System.nanoTime() < deadline);
    assertEquals(200, again.status());
    assertEquals(ROWS + 1, Csv.parse(again.raw()).size(), "a full export after the aborted one");
    long idleInTransaction = await(server.server().database().pool()
        .query("SELECT count(*) FROM pg_stat_activity WHERE state LIKE 'idle in transaction%'").execute()).iterator().next().getLong(0);
    assertEquals(0, idleInTransaction, "no export transaction left open");
    assertTrue(again.raw().startsWith("dialogue,prompt_number"));
  }
}
