package org.chorus.security;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import org.chorus.support.Api;
import org.chorus.support.LiveClient;
import org.chorus.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import static org.chorus.support.Blocking.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The limits on what a live socket takes (docs/protocol.md, "WebSocket input limits"), one regression test per
 * hole the fuzzer found or the issue named: JSON depth and size, fields named twice, numbers no field can
 * hold, text PostgreSQL cannot store, fragmented messages past the size limit, invalid UTF-8, garbage floods,
 * floods of pings, pongs and empty fragments, reserved bits, and browser origins.
 */
class WebSocketInputLimitsTest {
  static TestServer server;
  static Api api;
  static String token;
  static String dialogueId;
  static long promptId;
  static final Random RANDOM = new Random(7);

  @BeforeAll
  static void start() {
    server = TestServer.start(c -> c
        .put("live", new JsonObject().put("maxJsonDepth", 4).put("maxJsonFields", 10).put("messageBurst", 30))
        .put("language", new JsonObject().put("accuracy", "low").put("detect", new JsonArray().add("en").add("fr"))));
    api = server.api();
    String staff = api.staffToken();
    JsonObject d = api.openDialogue(staff, Api.dialogueBody("Limits", "post", 10, "Q1"));
    dialogueId = d.getString("id");
    promptId = d.getJsonArray("prompts").getJsonObject(0).getLong("id");
    token = api.join(d.getString("joinCode"), "Lena").getString("token");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static JsonObject answer(LiveClient c, String text) {
    c.sendRaw(text);
    return c.next(f -> "error".equals(f.getString("type")) || "pong".equals(f.getString("type")) || "ack".equals(f.getString("type")),
        Duration.ofSeconds(10));
  }

  private static String nested(int depth) {
    return "[".repeat(depth) + "]".repeat(depth);
  }

  @Test
  void nestingAndFieldCountAreBoundedWithClearErrors() {
    try (LiveClient c = server.live()) {
      // The message object is level 1: three more levels are allowed, a fourth is not.
      assertEquals("pong", answer(c, "{\"type\":\"ping\",\"x\":" + nested(3) + "}").getString("type"));
      JsonObject deep = answer(c, "{\"type\":\"ping\",\"x\":" + nested(4) + "}");
      assertEquals("too_deep", deep.getString("code"));
      assertTrue(deep.getString("message").contains("4 levels"), deep.encode());
      assertEquals("too_deep", answer(c, nested(5000)).getString("code"), "refused at the limit, not parsed to the end");

      // Ten fields and items in all are allowed, eleven are not, wherever they are.
      assertEquals("pong", answer(c, "{\"type\":\"ping\",\"a\":[1,2,3,4],\"b\":{\"c\":1,\"d\":2},\"e\":1}").getString("type"));
      assertEquals("too_many_fields", answer(c, "{\"type\":\"ping\",\"a\":[1,2,3,4],\"b\":{\"c\":1,\"d\":2},\"e\":1,\"f\":2}")
          .getString("code"));
      StringBuilder wide = new StringBuilder("{\"type\":\"ping\",\"x\":[");
      for (int i = 0; i < 3000; i++) {
        wide.append(i == 0 ? "" : ",").append('1');
      }
      assertEquals("too_many_fields", answer(c, wide.append("]}").toString()).getString("code"));
      assertEquals("pong", c.request(new JsonObject().put("type", "ping")).getString("type"), "the connection stays usable");
    }
  }

  @Test
  void aFieldNamedTwiceIsRefusedWhicheverComesLast() {
    try (LiveClient c = server.live()) {
      JsonObject twice = answer(c, "{\"type\":\"ping\",\"type\":\"hello\",\"ref\":\"r-1\"}");
      assertEquals("invalid_message", twice.getString("code"));
      assertTrue(twice.getString("message").contains("\"type\" appears twice"), twice.encode());
      assertEquals("invalid_json", answer(c, "{\"type\":\"ping\"} {\"type\":\"ping\"}").getString("code"), "one message per frame");
    }
  }

  @Test
  void numbersThatNoFieldCanHoldAreInvalidFieldsNotCoerced() {
    try (LiveClient c = server.live()) {
      c.hello(token, null);
      String base = "{\"type\":\"contribute\",\"clientId\":\"n-%d\",\"text\":\"numbers %d\",\"promptId\":%s,\"ref\":\"n-%d\"}";
      List<String> bad = List.of("1e400", "-1e400", "1180591620717411303424", "9223372036854775808", "7.0", "7.5", "1e-400");
      for (int i = 0; i < bad.size(); i++) {
        JsonObject refused = answer(c, String.format(base, i, i, bad.get(i), i));
        assertEquals("invalid_field", refused.getString("code"), bad.get(i) + ": " + refused.encode());
        assertTrue(refused.getString("message").startsWith("promptId"), refused.encode());
        assertEquals("n-" + i, refused.getString("ref"), "the refusal names its message");
      }
      assertTrue(answer(c, String.format(base, 90, 90, "1180591620717411303424", 90)).getString("message").contains("too big"));
      assertEquals("invalid_json", answer(c, String.format(base, 91, 91, "9".repeat(1500), 91)).getString("code"),
          "a number longer than the JSON reader takes");
      // The same prompt as a plain whole number is taken: nothing above was stored under another prompt.
      assertEquals("ack", answer(c, String.format(base, 92, 92, Long.toString(promptId), 92)).getString("type"));
    }
    assertEquals(1L, stored("SELECT count(*) FROM contributions WHERE dialogue_id = $1 AND text LIKE 'numbers %'"));
  }

  @Test
  void textThatCannotBeStoredIsRefusedWithTheFieldNamedAndNothingIsStored() {
    try (LiveClient c = server.live()) {
      c.hello(token, null);
      JsonObject nul = answer(c, "{\"type\":\"contribute\",\"clientId\":\"z-1\",\"text\":\"zero \\u0000 byte\",\"ref\":\"z-1\"}");
      assertEquals("invalid_field", nul.getString("code"), nul.encode());
      assertTrue(nul.getString("message").startsWith("text contains the character U+0000"), nul.encode());
      assertEquals("z-1", nul.getString("ref"));
      JsonObject half = answer(c, "{\"type\":\"contribute\",\"clientId\":\"z-2\",\"text\":\"half \\ud800 pair\",\"ref\":\"z-2\"}");
      assertEquals("invalid_field", half.getString("code"), half.encode());
      assertTrue(half.getString("message").contains("surrogate"), half.encode());
      // A ref that cannot be echoed as it came is not echoed at all (it used to come back with a "?").
      JsonObject badRef = answer(c, "{\"type\":\"ping\",\"ref\":\"\\udc00x\"}");
      assertEquals("invalid_field", badRef.getString("code"));
      assertNull(badRef.getValue("ref"));
      // A whole pair is text like any other.
      assertEquals("ack", answer(c, "{\"type\":\"contribute\",\"clientId\":\"z-3\",\"text\":\"a smile \\ud83d\\ude00\",\"ref\":\"z-3\"}")
          .getString("type"));
    }
    assertEquals(1L, stored("SELECT count(*) FROM contributions WHERE dialogue_id = $1 AND client_id LIKE 'z-%'"));
    assertEquals("a smile \uD83D\uDE00", storedText("z-3"));
  }

  @Test
  void idsMustBeCanonicalUuids() {
    try (LiveClient c = server.live()) {
      // UUID.fromString would read "1-2-3-4-5" as 00000001-0002-0003-0004-000000000005.
      JsonObject refused = c.request(new JsonObject().put("type", "hello").put("token", token).put("dialogueId", "1-2-3-4-5"));
      assertEquals("invalid_field", refused.getString("code"));
      assertEquals("welcome", c.hello(token, dialogueId.toUpperCase()).getString("type"));
    }
  }

  @Test
  void aFragmentedMessagePastTheLimitClosesTheSocketWith1009() throws IOException {
    try (RawWebSocket ws = RawWebSocket.connect(server.port(), null, RANDOM)) {
      byte[] spaces = new byte[10_000];
      Arrays.fill(spaces, (byte) ' ');
      ws.send(RawWebSocket.TEXT, false, spaces);
      ws.send(RawWebSocket.CONTINUATION, false, spaces);
      ws.send(RawWebSocket.CONTINUATION, true, "{\"type\":\"ping\",\"ref\":\"tail\"}".getBytes(StandardCharsets.UTF_8));
      RawWebSocket.Frame f = ws.read(Duration.ofSeconds(5));
      assertNotNull(f, "closed with a close frame, not dropped in silence");
      assertEquals(RawWebSocket.CLOSE, f.opcode(), "no answer to the last fragment: " + f.text());
      assertEquals(1009, f.closeCode());
    }
    try (RawWebSocket ws = RawWebSocket.connect(server.port(), null, RANDOM)) {
      // Within the limit, fragments (split inside a character, with a ping between) make one message.
      byte[] text = "{\"type\":\"ping\",\"ref\":\"é-ok\"}".getBytes(StandardCharsets.UTF_8);
      int cut = "{\"type\":\"ping\",\"ref\":\"".length() + 1; // between the two bytes of é
      ws.send(RawWebSocket.TEXT, false, Arrays.copyOfRange(text, 0, cut));
      ws.send(RawWebSocket.PING, true, new byte[] {1});
      ws.send(RawWebSocket.CONTINUATION, true, Arrays.copyOfRange(text, cut, text.length));
      assertEquals(RawWebSocket.PONG, ws.read(Duration.ofSeconds(5)).opcode());
      JsonObject pong = new JsonObject(ws.read(Duration.ofSeconds(5)).text());
      assertEquals("pong", pong.getString("type"));
      assertEquals("é-ok", pong.getString("ref"));
    }
  }

  @Test
  void invalidUtf8ClosesTheSocketWith1007() throws IOException {
    byte[][] invalid = {{(byte) 0xC3, 0x28}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xFF}};
    for (byte[] bad : invalid) {
      try (RawWebSocket ws = RawWebSocket.connect(server.port(), null, RANDOM)) {
        byte[] frame = new byte[bad.length + 2];
        frame[0] = '"';
        System.arraycopy(bad, 0, frame, 1, bad.length);
        frame[frame.length - 1] = '"';
        ws.send(RawWebSocket.TEXT, true, frame);
        RawWebSocket.Frame f = ws.read(Duration.ofSeconds(5));
        assertNotNull(f);
        assertEquals(RawWebSocket.CLOSE, f.opcode(), "not repaired and answered: " + f.text());
        assertEquals(1007, f.closeCode());
      }
    }
    try (LiveClient fresh = server.live()) {
      assertEquals("pong", fresh.request(new JsonObject().put("type", "ping")).getString("type"));
    }
  }

  @Test
  void garbageCountsTowardsTheRateLimit() {
    try (LiveClient c = server.live()) {
      for (int i = 0; i < 40; i++) {
        c.sendRaw("not json " + i);
      }
      List<String> codes = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        codes.add(c.next("error").getString("code"));
      }
      assertTrue(codes.subList(0, 25).stream().allMatch("invalid_json"::equals), codes.toString());
      assertTrue(codes.contains("rate_limited"), "the burst (30) is spent by garbage too: " + codes);
    }
  }

  /**
   * Whole messages spend the message rate limit; pings, pongs and fragments spend a budget of their own, 16 times
   * that: this server's burst of 30 messages makes 480 such frames at once, refilled at 80 a second. Past it the
   * socket is closed with 1008 and the connection ends. Before, empty continuation frames (which no size limit
   * bounds) and pings were taken without end.
   */
  @Test
  void pingsPongsAndFragmentsHaveABudgetPastWhichTheSocketIsClosedWith1008() throws IOException {
    int budget = 30 * 16;
    int sent = 5_000;
    try (RawWebSocket ws = RawWebSocket.connect(server.port(), null, RANDOM)) {
      ws.send(RawWebSocket.TEXT, false, new byte[0]);
      for (int i = 0; i < sent; i++) {
        ws.send(RawWebSocket.CONTINUATION, false, new byte[0]);
      }
      RawWebSocket.Frame f = ws.read(Duration.ofSeconds(10));
      assertNotNull(f, "closed with a close frame (timed out: " + ws.timedOut() + ")");
      assertEquals(RawWebSocket.CLOSE, f.opcode(), f.text());
      assertEquals(1008, f.closeCode());
      assertEnds(ws);
    }
    for (int opcode : new int[] {RawWebSocket.PING, RawWebSocket.PONG}) {
      try (RawWebSocket ws = RawWebSocket.connect(server.port(), null, RANDOM)) {
        for (int i = 0; i < sent; i++) {
          ws.send(opcode, true, new byte[] {(byte) i});
        }
        int pongs = 0;
        RawWebSocket.Frame f = ws.read(Duration.ofSeconds(10));
        while (f != null && f.opcode() == RawWebSocket.PONG) {
          pongs++;
          f = ws.read(Duration.ofSeconds(10));
        }
        assertNotNull(f, "closed with a close frame after " + pongs + " pongs (timed out: " + ws.timedOut() + ")");
        assertEquals(RawWebSocket.CLOSE, f.opcode(), f.text());
        assertEquals(1008, f.closeCode());
        if (opcode == RawWebSocket.PING) {
          assertTrue(pongs > budget && pongs < sent, "the budget's pings were answered, not all " + sent + ": " + pongs);
        }
        assertEnds(ws);
      }
    }
    // Within the budget, fragments are as good as ever: a message in 100 pieces, with empty ones and pings between.
    try (RawWebSocket ws = RawWebSocket.connect(server.port(), null, RANDOM)) {
      byte[] text = "{\"type\":\"ping\",\"ref\":\"in-pieces\"}".getBytes(StandardCharsets.UTF_8);
      ws.send(RawWebSocket.TEXT, false, new byte[0]);
      for (int i = 0; i < text.length; i++) {
        ws.send(RawWebSocket.CONTINUATION, false, new byte[] {text[i]});
        ws.send(RawWebSocket.CONTINUATION, false, new byte[0]);
      }
      ws.send(RawWebSocket.PING, true, new byte[] {1});
      ws.send(RawWebSocket.CONTINUATION, true, new byte[0]);
      assertEquals(RawWebSocket.PONG, ws.read(Duration.ofSeconds(5)).opcode());
      assertEquals("in-pieces", new JsonObject(ws.read(Duration.ofSeconds(5)).text()).getString("ref"));
    }
  }

  /**
   * RFC 6455 section 5.2: a reserved bit that no negotiated extension defines fails the connection. With compression
   * enabled Netty takes any reserved bits (it cannot know which extension a client will negotiate) and Vert.x's frames
   * do not show them: before, all three were ignored and the message answered. Now: closed with 1002, unless it is
   * RSV1 on a message compressed with permessage-deflate that the client negotiated.
   */
  @Test
  void reservedBitsThatNoNegotiatedExtensionDefinesCloseTheSocketWith1002() throws IOException {
    byte[] ping = "{\"type\":\"ping\",\"ref\":\"rsv\"}".getBytes(StandardCharsets.UTF_8);
    for (int rsv : new int[] {0x40, 0x20, 0x10, 0x70}) {
      for (int opcode : new int[] {RawWebSocket.TEXT, RawWebSocket.PING, RawWebSocket.CONTINUATION}) {
        try (RawWebSocket ws = RawWebSocket.connect(server.port(), null, RANDOM)) {
          if (opcode == RawWebSocket.CONTINUATION) {
            ws.send(RawWebSocket.TEXT, false, Arrays.copyOfRange(ping, 0, 5));
            ws.sendFrame(0x80 | rsv, opcode, true, Arrays.copyOfRange(ping, 5, ping.length));
          } else {
            ws.sendFrame(0x80 | rsv, opcode, true, opcode == RawWebSocket.PING ? new byte[] {1} : ping);
          }
          RawWebSocket.Frame f = ws.read(Duration.ofSeconds(5));
          String what = "RSV 0x" + Integer.toHexString(rsv) + " on opcode " + opcode;
          assertNotNull(f, what);
          assertEquals(RawWebSocket.CLOSE, f.opcode(), what + " was answered: " + f.text());
          assertEquals(1002, f.closeCode(), what);
        }
      }
    }
    // Vert.x offers permessage-deflate (what browsers negotiate) and the older per-frame deflate-frame.
    for (String extension : List.of("permessage-deflate", "x-webkit-deflate-frame")) {
      try (RawWebSocket ws = RawWebSocket.connect(server.port(), null, RANDOM, "Sec-WebSocket-Extensions: " + extension + "\r\n")) {
        assertTrue(ws.upgradeAnswer().toLowerCase(Locale.ROOT).contains("sec-websocket-extensions: " + extension),
            "compression negotiated: " + ws.upgradeAnswer());
        ws.sendFrame(0x80 | 0x40, RawWebSocket.TEXT, true, deflate(ping));
        RawWebSocket.Frame pong = ws.read(Duration.ofSeconds(5));
        assertEquals(RawWebSocket.TEXT, pong.opcode());
        JsonObject answer = new JsonObject(pong.rsv() == 0x40 ? inflate(pong.payload()) : pong.text());
        assertEquals("pong", answer.getString("type"), extension + ": a compressed message is answered");
        assertEquals("rsv", answer.getString("ref"));
        ws.sendFrame(0x80 | 0x40 | 0x20, RawWebSocket.TEXT, true, deflate(ping));
        RawWebSocket.Frame f = ws.read(Duration.ofSeconds(5));
        assertNotNull(f, extension);
        assertEquals(RawWebSocket.CLOSE, f.opcode(), extension + ": RSV2 means nothing in it");
        assertEquals(1002, f.closeCode());
      }
    }
  }

  /** A compressed frame as a client sends it (RFC 7692; deflate-frame alike): raw deflate, flushed, without the final 00 00 ff ff. */
  private static byte[] deflate(byte[] data) {
    Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    deflater.setInput(data);
    byte[] out = new byte[data.length + 64];
    int n = deflater.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
    deflater.end();
    return Arrays.copyOf(out, n - 4);
  }

  private static String inflate(byte[] data) {
    Inflater inflater = new Inflater(true);
    byte[] in = Arrays.copyOf(data, data.length + 4);
    in[data.length + 2] = (byte) 0xFF;
    in[data.length + 3] = (byte) 0xFF;
    inflater.setInput(in);
    byte[] out = new byte[16 * 1024];
    try {
      int n = inflater.inflate(out);
      return new String(out, 0, n, StandardCharsets.UTF_8);
    } catch (DataFormatException e) {
      throw new AssertionError(e);
    } finally {
      inflater.end();
    }
  }

  /** After its close frame the server ends the TCP connection (whether or not this client answers the close). */
  private static void assertEnds(RawWebSocket ws) {
    long started = System.nanoTime();
    try {
      RawWebSocket.Frame f;
      do {
        f = ws.read(Duration.ofSeconds(8));
      } while (f != null);
      assertFalse(ws.timedOut(), "the connection still open " + (System.nanoTime() - started) / 1_000_000 + " ms after the close frame");
    } catch (IOException reset) {
      // ended (reset) — as good as a close for this check
    }
  }

  @Test
  void browserOriginsAreComparedWithoutCaseAndTheNullOriginIsRefused() throws IOException {
    int port = server.port();
    try (RawWebSocket ws = RawWebSocket.connect(port, "HTTP://LOCALHOST:" + port, RANDOM)) {
      ws.sendText("{\"type\":\"ping\"}");
      assertEquals("pong", new JsonObject(ws.read(Duration.ofSeconds(5)).text()).getString("type"));
    }
    // Sandboxed frames and file:// pages send "Origin: null": not an allowed origin.
    for (String origin : List.of("null", "http://localhost:" + port + ".evil.example", "http://localhost:" + (port + 1), "")) {
      RawWebSocket.Refused refused = assertThrows(RawWebSocket.Refused.class, () -> RawWebSocket.connect(port, origin, RANDOM), origin);
      assertEquals(403, refused.status, origin);
    }
  }

  private static long stored(String sql) {
    return await(server.server().database().pool().preparedQuery(sql).execute(Tuple.of(UUID.fromString(dialogueId))))
        .iterator().next().getLong(0);
  }

  private static String storedText(String clientId) {
    return await(server.server().database().pool().preparedQuery("SELECT text FROM contributions WHERE dialogue_id = $1 AND client_id = $2")
        .execute(Tuple.of(UUID.fromString(dialogueId), clientId))).iterator().next().getString(0);
  }
}
