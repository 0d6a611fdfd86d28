package org.chorus.security;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * One fuzzing connection (replaced whenever the server closes it): sends one frame at a time and waits for
 * its answer before the next, so that every frame can be held to "answered with a valid frame or an error
 * frame" — or, for a frame-level protocol violation, "closed with the right close code". Broadcasts in
 * between are checked to be JSON messages too. Runs on its own thread with its own seeded {@link Random}.
 */
final class FuzzLane implements Runnable {
  enum Role { CHILD, FACILITATOR, ANONYMOUS, PROTOCOL }

  /** What a probe may get back. */
  enum Expect {
    /** an answer frame; a close is a failure */
    ANSWER,
    /** the connection must be closed, with {@code closeCode} unless it is 0 */
    CLOSE,
    /** a WebSocket pong */
    WS_PONG,
    /** anything, nothing, or a close: raw bytes on the wire may leave the server waiting for the rest */
    ANYTHING
  }

  /** Frames sent as one step, with what they may get back. */
  private record Probe(String category, List<Write> writes, Expect expect, int closeCode, String preview) {}

  @FunctionalInterface
  private interface Write {
    void to(RawWebSocket ws) throws IOException;
  }

  private static final Set<String> ANSWER_TYPES = Set.of("pong", "welcome", "ack", "done", "error");
  /** Errors about the frame itself, answered before its ref is read. */
  private static final Set<String> FRAME_ERRORS = Set.of("invalid_json", "invalid_message", "too_deep", "too_many_fields",
      "text_only", "rate_limited");
  private static final Set<String> SERVER_ERRORS = Set.of("server_error", "unavailable");
  /** RFC 6455 close codes: a message bigger than the server takes, text that is not UTF-8, a protocol error. */
  private static final int TOO_BIG = 1009;
  private static final int INVALID_PAYLOAD = 1007;
  private static final int PROTOCOL_ERROR = 1002;
  private static final Duration ANSWER_WAIT = Duration.ofSeconds(10);
  private static final List<String> FORGED_TOKENS = List.of("", "garbage", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.",
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzdGFmZiIsInJvbGUiOiJzdGFmZiJ9.AAAA", "Bearer x", "x".repeat(5000));

  private final String name;
  private final Role role;
  private final String token;
  private final String participantId;
  private final FuzzRoom room;
  private final int port;
  private final int frames;
  private final int maxFrameBytes;
  private final Random random;
  private final Random masks; // keys and masks apart, so that the frames chosen depend on the seed alone
  private final FrameMutator mutator;
  private final FuzzStats stats;
  private final Deque<Probe> forced = new ArrayDeque<>();

  private RawWebSocket ws;
  private String previous = "nothing";
  private boolean helloTimedOut;
  private int refs;

  FuzzLane(String name, Role role, String token, String participantId, FuzzRoom room, int port, int frames, int maxFrameBytes,
           long seed, FuzzStats stats) {
    this.name = name;
    this.role = role;
    this.token = token;
    this.participantId = participantId;
    this.room = room;
    this.port = port;
    this.frames = frames;
    this.maxFrameBytes = maxFrameBytes;
    this.random = new Random(seed);
    this.masks = new Random(~seed);
    this.mutator = new FrameMutator(new Random(seed ^ 0x5DEECE66DL));
    this.stats = stats;
  }

  @Override
  public void run() {
    try {
      for (int i = 0; i < frames; i++) {
        if (ws == null && !connect()) {
          return;
        }
        Probe probe = forced.isEmpty() ? nextProbe() : forced.poll();
        stats.sent(probe.category());
        exchange(probe);
        previous = probe.category();
        if (probe.expect() == Expect.ANYTHING) {
          drop(); // the server may still be waiting for the rest of a frame the random bytes began
        }
      }
    } catch (IOException | RuntimeException e) {
      stats.problem(name + " stopped: " + e);
    } finally {
      drop();
    }
  }

  // ---- connections --------------------------------------------------------------------------

  private boolean connect() throws IOException {
    ws = RawWebSocket.connect(port, null, masks);
    helloTimedOut = false;
    if (token == null) {
      return true;
    }
    JsonObject hello = new JsonObject().put("type", "hello").put("token", token).put("ref", "hello");
    if (role == Role.FACILITATOR) {
      hello.put("dialogueId", room.dialogueId);
    }
    ws.sendText(hello.encode());
    stats.sent(FuzzStats.SETUP);
    for (long deadline = System.nanoTime() + ANSWER_WAIT.toNanos(); System.nanoTime() < deadline; ) {
      RawWebSocket.Frame f = ws.read(ANSWER_WAIT);
      if (f == null || f.opcode() != RawWebSocket.TEXT) {
        break;
      }
      JsonObject frame = new JsonObject(f.text());
      if ("hello".equals(frame.getValue("ref"))) {
        if ("welcome".equals(frame.getString("type"))) {
          stats.answer("welcome");
          return true;
        }
        break;
      }
    }
    stats.problem(name + ": a fresh connection was not welcomed");
    drop();
    return false;
  }

  private void drop() {
    if (ws != null) {
      ws.close();
      ws = null;
    }
  }

  // ---- what to send -------------------------------------------------------------------------

  private Probe nextProbe() {
    if (role == Role.PROTOCOL) {
      return protocolProbe();
    }
    int roll = random.nextInt(100);
    if (roll < 25) {
      JsonObject valid = validMessage();
      return json("valid_" + valid.getString("type"), valid.encode());
    }
    if (roll < 85) {
      FrameMutator.Mutation m = mutator.mutate(validMessage());
      return json("mutated_" + m.kind(), m.text());
    }
    if (roll < 95) {
      FrameMutator.Mutation m = mutator.junk();
      return json("junk_" + m.kind(), m.text());
    }
    byte[] bytes = new byte[random.nextInt(64)];
    random.nextBytes(bytes);
    return new Probe("binary", List.of(w -> w.send(RawWebSocket.BINARY, true, bytes)), Expect.ANSWER, 0, "binary");
  }

  /** A text frame: answered, unless it is bigger than a frame may be (then the connection must close). */
  private Probe json(String category, String text) {
    boolean tooBig = text.getBytes(StandardCharsets.UTF_8).length > maxFrameBytes;
    return new Probe(tooBig ? "oversized_text" : category, List.of(w -> w.sendText(text)), tooBig ? Expect.CLOSE : Expect.ANSWER, 0, text);
  }

  private JsonObject validMessage() {
    JsonObject msg = switch (role) {
      case CHILD, PROTOCOL -> childMessage();
      case FACILITATOR -> facilitatorMessage();
      default -> anonymousMessage();
    };
    return msg.put("ref", name + "-" + (++refs));
  }

  private JsonObject childMessage() {
    int roll = random.nextInt(10);
    if (roll < 7) {
      JsonObject c = new JsonObject().put("type", "contribute").put("clientId", name + "-c" + random.nextInt(1_000_000))
          .put("text", CONTRIBUTIONS.get(random.nextInt(CONTRIBUTIONS.size())) + " " + mutator.randomText(random.nextInt(40)));
      if (random.nextBoolean()) {
        c.put("promptId", room.promptIds.get(0));
      }
      return c;
    }
    if (roll < 9) {
      return new JsonObject().put("type", "react").put("contributionId", room.someContribution(random))
          .put("kind", List.of("me_too", "heart", "idea").get(random.nextInt(3)));
    }
    return new JsonObject().put("type", "ping");
  }

  private static final List<String> CONTRIBUTIONS = List.of("Teachers who listen to us", "A safe way home from school",
      "Call me on 0712 345 678", "Parks where we can play", "My friends make me feel safe", "Clean water at school",
      "Mes amis me protègent", "Nobody at home has given me food for days");

  private JsonObject facilitatorMessage() {
    JsonObject m = new JsonObject();
    switch (random.nextInt(11)) {
      case 0 -> m.put("type", "approve").put("contributionId", room.someContribution(random));
      case 1 -> m.put("type", "approve").put("contributionId", room.someContribution(random)).put("text", "An edited answer");
      case 2 -> m.put("type", "reject").put("contributionId", room.someContribution(random)).put("reason", "off_topic");
      case 3 -> m.put("type", "remove").put("contributionId", room.someContribution(random)).put("reason", "unkind");
      case 4 -> m.put("type", "set_prompt").put("promptId", room.promptIds.get(random.nextInt(room.promptIds.size())));
      case 5 -> m.put("type", "next_prompt");
      case 6 -> m.put("type", "slow_mode").put("seconds", 0);
      case 7 -> m.put("type", "ack_alert").put("contributionId", room.someContribution(random));
      case 8 -> m.put("type", "mute").put("participantId", room.bystanders.get(random.nextInt(room.bystanders.size())))
          .put("minutes", random.nextInt(3));
      case 9 -> m.put("type", "remove_participant").put("participantId", room.bystanders.get(random.nextInt(room.bystanders.size())));
      default -> m.put("type", "ping");
    }
    return m;
  }

  private JsonObject anonymousMessage() {
    if (random.nextInt(3) == 0) {
      return new JsonObject().put("type", "hello").put("token", FORGED_TOKENS.get(random.nextInt(FORGED_TOKENS.size())))
          .put("dialogueId", room.dialogueId);
    }
    return random.nextBoolean() ? facilitatorMessage() : childMessage();
  }

  /** Frame-level abuse on an authenticated child's connection: fragments, bad UTF-8, odd opcodes and flags. */
  private Probe protocolProbe() {
    String message = random.nextBoolean() ? validMessage().encode() : mutator.mutate(validMessage()).text();
    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
    int roll = random.nextInt(15);
    return switch (roll) {
      case 0, 1 -> {
        List<Write> parts = fragments(RawWebSocket.TEXT, bytes, random.nextInt(20) + 2, false);
        yield new Probe("fragmented", parts, whole(bytes), 0, message);
      }
      case 2 -> {
        List<Write> parts = fragments(RawWebSocket.TEXT, bytes, random.nextInt(5) + 2, true);
        yield new Probe("fragmented_with_ping", parts, whole(bytes), 0, message);
      }
      case 3 -> {
        byte[] big = new byte[maxFrameBytes / 4 + 1];
        Arrays.fill(big, (byte) ' ');
        List<Write> parts = new ArrayList<>(List.of(w -> w.send(RawWebSocket.TEXT, false, big)));
        for (int i = 0; i < 4; i++) {
          boolean last = i == 3;
          parts.add(w -> w.send(RawWebSocket.CONTINUATION, last, big));
        }
        yield new Probe("fragments_over_message_limit", parts, Expect.CLOSE, TOO_BIG, "5 fragments");
      }
      case 4, 5 -> {
        byte[] bad = invalidUtf8(bytes);
        yield new Probe("invalid_utf8", List.of(w -> w.send(RawWebSocket.TEXT, true, bad)), Expect.CLOSE,
            bad.length > maxFrameBytes ? 0 : INVALID_PAYLOAD, "invalid UTF-8");
      }
      case 6 -> {
        byte[] bad = invalidUtf8(bytes);
        int cut = random.nextInt(bad.length);
        yield new Probe("invalid_utf8_fragmented", List.of(
            w -> w.send(RawWebSocket.TEXT, false, Arrays.copyOfRange(bad, 0, cut)),
            w -> w.send(RawWebSocket.CONTINUATION, true, Arrays.copyOfRange(bad, cut, bad.length))),
            Expect.CLOSE, bad.length > maxFrameBytes ? 0 : INVALID_PAYLOAD, "invalid UTF-8 in fragments");
      }
      case 7 -> new Probe("binary_fragmented", fragments(RawWebSocket.BINARY, bytes, 3, false), whole(bytes), 0, "binary");
      case 8 -> new Probe("oversized_frame", List.of(w -> w.send(RawWebSocket.TEXT, true, new byte[maxFrameBytes + 1 + random.nextInt(1000)])),
          Expect.CLOSE, 0, "oversized frame");
      case 9 -> new Probe("stray_continuation", List.of(w -> w.send(RawWebSocket.CONTINUATION, true, bytes)), Expect.CLOSE, 0, message);
      case 10 -> {
        int opcode = List.of(3, 4, 5, 6, 7, 11, 12, 13, 14, 15).get(random.nextInt(10));
        yield new Probe("reserved_opcode", List.of(w -> w.sendFrame(0x80, opcode, true, bytes)), Expect.CLOSE, 0, "opcode " + opcode);
      }
      case 11 -> new Probe("unmasked", List.of(w -> w.sendFrame(0x80, RawWebSocket.TEXT, false, bytes)), Expect.CLOSE, 0, message);
      case 12 -> {
        int rsv = (random.nextInt(7) + 1) << 4;
        // This lane negotiates no extension, so no reserved bit means anything: the connection is failed (1002).
        yield new Probe("reserved_bits", List.of(w -> w.sendFrame(0x80 | rsv, RawWebSocket.TEXT, true, bytes)), Expect.CLOSE, PROTOCOL_ERROR,
            message);
      }
      case 13 -> {
        byte[] ping = new byte[random.nextInt(200)];
        random.nextBytes(ping);
        yield new Probe(ping.length > 125 ? "control_frame_too_big" : "ws_ping", List.of(w -> w.send(RawWebSocket.PING, true, ping)),
            ping.length > 125 ? Expect.CLOSE : Expect.WS_PONG, 0, "ping");
      }
      default -> {
        byte[] garbage = new byte[random.nextInt(64) + 1];
        random.nextBytes(garbage);
        yield new Probe("random_wire_bytes", List.of(w -> w.sendBytes(garbage)), Expect.ANYTHING, 0, "random bytes");
      }
    };
  }

  /** A message within the size limit is answered; a bigger one closes the connection (1009, or no close frame). */
  private Expect whole(byte[] message) {
    return message.length > maxFrameBytes ? Expect.CLOSE : Expect.ANSWER;
  }

  private List<Write> fragments(int opcode, byte[] bytes, int pieces, boolean pingBetween) {
    List<Write> writes = new ArrayList<>();
    int at = 0;
    for (int i = 0; i < pieces; i++) {
      int end = i == pieces - 1 ? bytes.length : Math.min(bytes.length, at + random.nextInt(bytes.length / pieces + 2));
      byte[] piece = Arrays.copyOfRange(bytes, at, end);
      boolean first = i == 0;
      boolean last = i == pieces - 1;
      writes.add(w -> w.send(first ? opcode : RawWebSocket.CONTINUATION, last, piece));
      if (pingBetween && !last) {
        writes.add(w -> w.send(RawWebSocket.PING, true, new byte[] {1}));
      }
      at = end;
    }
    return writes;
  }

  /** The text with one byte sequence that is not UTF-8 put somewhere in it. */
  private byte[] invalidUtf8(byte[] text) {
    byte[][] bad = {{(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
        {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xE2, (byte) 0x82}};
    byte[] insert = bad[random.nextInt(bad.length)];
    int at = text.length == 0 ? 0 : random.nextInt(text.length);
    byte[] out = new byte[text.length + insert.length];
    System.arraycopy(text, 0, out, 0, at);
    System.arraycopy(insert, 0, out, at, insert.length);
    System.arraycopy(text, at, out, at + insert.length, text.length - at);
    return out;
  }

  // ---- what comes back ----------------------------------------------------------------------

  private void exchange(Probe probe) throws IOException {
    try {
      for (Write w : probe.writes()) {
        w.to(ws);
      }
    } catch (IOException e) {
      // The server may close in the middle of a probe that breaks the protocol; reading tells which.
      if (probe.expect() == Expect.ANSWER || probe.expect() == Expect.WS_PONG) {
        stats.problem(name + ": connection failed while sending " + probe.category() + ": " + e);
        drop();
        return;
      }
    }
    Duration wait = probe.expect() == Expect.ANYTHING ? Duration.ofMillis(300) : ANSWER_WAIT;
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      RawWebSocket.Frame f = left <= 0 ? null : ws.read(Duration.ofNanos(left));
      if (f == null) {
        if (left <= 0 || ws.timedOut()) {
          if (probe.expect() != Expect.ANYTHING) {
            stats.problem(name + ": no answer within " + wait.toSeconds() + " s to " + probe.category() + ": " + preview(probe));
          }
          stats.closed("dropped by the fuzzer after " + probe.category());
          drop();
        } else {
          closed(probe, -1);
        }
        return;
      }
      switch (f.opcode()) {
        case RawWebSocket.CLOSE -> {
          closed(probe, f.closeCode());
          return;
        }
        case RawWebSocket.PONG -> {
          if (probe.expect() == Expect.WS_PONG) {
            stats.answer("ws_pong");
            return;
          }
        }
        case RawWebSocket.TEXT -> {
          if (onText(probe, f.text())) {
            return;
          }
        }
        default -> stats.problem(name + ": unexpected frame opcode " + f.opcode() + " after " + probe.category());
      }
    }
  }

  /** True when this frame is the probe's answer. */
  private boolean onText(Probe probe, String text) {
    JsonObject frame;
    try {
      frame = new JsonObject(text);
    } catch (RuntimeException e) {
      stats.problem(name + ": the server sent a frame that is not a JSON object: " + text);
      return false;
    }
    Object type = frame.getValue("type");
    if (!(type instanceof String t)) {
      stats.problem(name + ": a server frame without a type: " + text);
      return false;
    }
    if (!ANSWER_TYPES.contains(t)) {
      stats.broadcast();
      return false;
    }
    if (t.equals("error") && "hello_timeout".equals(frame.getString("code"))) {
      // Unsolicited: the socket did not say hello in time and is about to be closed (1008).
      stats.error("hello_timeout");
      helloTimedOut = true;
      return false;
    }
    stats.answer(t);
    if (probe.expect() == Expect.CLOSE) {
      stats.problem(name + ": answered " + text + " to " + probe.category() + " instead of closing: " + preview(probe));
    }
    if (t.equals("error")) {
      Object code = frame.getValue("code");
      if (!(code instanceof String c) || !(frame.getValue("message") instanceof String)) {
        stats.problem(name + ": an error frame without code or message: " + text);
        return true;
      }
      stats.error(c);
      if (SERVER_ERRORS.contains(c)) {
        stats.serverError(name + " " + probe.category() + " → " + text + " for " + preview(probe));
      }
      if (FRAME_ERRORS.contains(c)) {
        return true;
      }
    }
    checkRef(probe, frame);
    learn(frame);
    return true;
  }

  /** An answer to a message carries that message's ref (a string of at most 64 characters, or a number). */
  private void checkRef(Probe probe, JsonObject answer) {
    String expected = null;
    try {
      Object ref = new JsonObject(probe.preview()).getValue("ref");
      if (ref instanceof String s && s.length() <= 64 && isText(s)) {
        expected = s;
      }
    } catch (RuntimeException notJson) {
      return; // answered, but not a message whose ref a parser agrees on
    }
    Object got = answer.getValue("ref");
    if (expected != null && !expected.equals(got)) {
      stats.problem(name + ": answer " + answer.encode() + " does not carry the ref of " + preview(probe));
    }
  }

  /** Neither U+0000 nor half a surrogate pair: what the server echoes as a ref. */
  private static boolean isText(String s) {
    return s.indexOf(0) < 0 && s.codePoints().noneMatch(c -> c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE);
  }

  private void learn(JsonObject answer) {
    String type = answer.getString("type");
    if ("ack".equals(type)) {
      room.acknowledged(answer.getLong("id"), participantId, answer.getString("clientId"));
    } else if ("done".equals(type) && "slow_mode".equals(answer.getString("action")) && answer.getInteger("seconds", 0) != 0) {
      // A mutated slow_mode frame that happened to be valid: switch it off again so that children keep writing.
      String reset = new JsonObject().put("type", "slow_mode").put("seconds", 0).put("ref", name + "-reset" + (++refs)).encode();
      forced.add(new Probe("valid_slow_mode_reset", List.of(w -> w.sendText(reset)), Expect.ANSWER, 0, reset));
    }
  }

  private void closed(Probe probe, int code) {
    String how = code < 0 ? "without close frame" : "close " + code;
    stats.closed(how + " after " + probe.category());
    boolean expected = switch (probe.expect()) {
      case CLOSE -> probe.closeCode() == 0 || probe.closeCode() == code;
      case ANYTHING -> true;
      default -> helloTimedOut && code == 1008;
    };
    if (!expected) {
      stats.problem(name + ": connection " + how + " after " + probe.category() + " (following " + previous + ", expected " + probe.expect()
          + (probe.closeCode() != 0 ? " " + probe.closeCode() : "") + "): " + preview(probe));
    }
    drop();
  }

  private static String preview(Probe probe) {
    String p = probe.preview();
    return p.length() > 300 ? p.substring(0, 300) + "…(" + p.length() + " chars)" : p;
  }
}
