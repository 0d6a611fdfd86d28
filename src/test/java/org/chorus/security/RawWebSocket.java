package org.chorus.security;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Random;

/**
 * A WebSocket client written by hand against RFC 6455 over a blocking socket, so that a test can send what no
 * WebSocket library lets it: invalid UTF-8 in text frames, stray continuation frames, reserved bits and
 * opcodes, unmasked frames, lengths that lie. Used from one test thread; reads block with a timeout.
 */
final class RawWebSocket implements AutoCloseable {
  static final int CONTINUATION = 0x0;
  static final int TEXT = 0x1;
  static final int BINARY = 0x2;
  static final int CLOSE = 0x8;
  static final int PING = 0x9;
  static final int PONG = 0xA;

  /**
   * A frame from the server; {@code rsv} its reserved bits as they are in the first byte ({@code 0x40} is RSV1, set on
   * a compressed message). {@code closeCode} is 1005 for a close frame without a code.
   */
  record Frame(int opcode, boolean fin, byte[] payload, int rsv) {
    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
    }
  }

  /** The upgrade was answered with another status than 101. */
  static final class Refused extends IOException {
    final int status;

    Refused(int status) {
      super("upgrade refused with HTTP " + status);
      this.status = status;
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final Random masks;
  private boolean timedOut;
  private String upgradeAnswer;

  private RawWebSocket(Socket socket, Random masks) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
    this.masks = masks;
  }

  /** Opens {@code /live}; {@code origin} null sends no Origin header (as non-browser clients do). */
  static RawWebSocket connect(int port, String origin, Random random) throws IOException {
    return connect(port, origin, random, "");
  }

  /**
   * As {@link #connect(int, String, Random)}, with {@code extraHeaders} ("Name: value\r\n" each) added to the
   * upgrade request, e.g. {@code Sec-WebSocket-Extensions}; the answer's head is kept ({@link #upgradeAnswer()}).
   */
  static RawWebSocket connect(int port, String origin, Random random, String extraHeaders) throws IOException {
    Socket socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    RawWebSocket ws = new RawWebSocket(socket, random);
    byte[] nonce = new byte[16];
    random.nextBytes(nonce);
    StringBuilder request = new StringBuilder("GET /live HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n")
        .append("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n")
        .append("Sec-WebSocket-Key: ").append(Base64.getEncoder().encodeToString(nonce)).append("\r\n");
    if (origin != null) {
      request.append("Origin: ").append(origin).append("\r\n");
    }
    request.append(extraHeaders);
    ws.out.write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    ws.out.flush();
    socket.setSoTimeout(10_000);
    ws.upgradeAnswer = ws.readHeaders();
    String status = ws.upgradeAnswer.substring(0, ws.upgradeAnswer.indexOf("\r\n"));
    String[] parts = status.split(" ");
    int code = parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
    if (code != 101) {
      socket.close();
      throw new Refused(code);
    }
    return ws;
  }

  /** The head of the server's answer to the upgrade: status line and headers. */
  String upgradeAnswer() {
    return upgradeAnswer;
  }

  /** Reads the response head; returns it (status line and headers). */
  private String readHeaders() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed during the upgrade");
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  void sendText(String text) throws IOException {
    send(TEXT, true, text.getBytes(StandardCharsets.UTF_8));
  }

  /** One well-formed, masked client frame. */
  void send(int opcode, boolean fin, byte[] payload) throws IOException {
    sendFrame(fin ? 0x80 : 0, opcode, true, payload);
  }

  /**
   * A frame with any first-byte flags ({@code 0x80} FIN, {@code 0x70} the reserved bits) and masked or not
   * (RFC 6455 requires clients to mask).
   */
  void sendFrame(int flags, int opcode, boolean masked, byte[] payload) throws IOException {
    ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
    frame.write((flags & 0xF0) | (opcode & 0x0F));
    int maskBit = masked ? 0x80 : 0;
    if (payload.length < 126) {
      frame.write(maskBit | payload.length);
    } else if (payload.length < 65536) {
      frame.write(maskBit | 126);
      frame.write(payload.length >>> 8);
      frame.write(payload.length);
    } else {
      frame.write(maskBit | 127);
      long length = payload.length;
      for (int shift = 56; shift >= 0; shift -= 8) {
        frame.write((int) (length >>> shift));
      }
    }
    byte[] body = payload.clone();
    if (masked) {
      byte[] key = new byte[4];
      masks.nextBytes(key);
      frame.write(key, 0, 4);
      for (int i = 0; i < body.length; i++) {
        body[i] ^= key[i & 3];
      }
    }
    frame.write(body, 0, body.length);
    sendBytes(frame.toByteArray());
  }

  /** Anything at all on the wire. */
  void sendBytes(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /**
   * The next message (the server splits long ones into fragments) or control frame, or null if the server closed
   * the TCP connection or {@code wait} passed (then {@link #timedOut()}).
   */
  Frame read(Duration wait) throws IOException {
    Frame first = readFrame(wait);
    if (first == null || first.fin() || first.opcode() >= CLOSE) {
      return first;
    }
    ByteArrayOutputStream whole = new ByteArrayOutputStream();
    whole.write(first.payload());
    while (true) {
      Frame next = readFrame(wait);
      if (next == null || next.opcode() == CLOSE) {
        return next;
      }
      if (next.opcode() == CONTINUATION) {
        whole.write(next.payload());
        if (next.fin()) {
          return new Frame(first.opcode(), true, whole.toByteArray(), first.rsv());
        }
      }
    }
  }

  private Frame readFrame(Duration wait) throws IOException {
    socket.setSoTimeout((int) Math.max(1, wait.toMillis()));
    try {
      int first = in.read();
      if (first < 0) {
        return null;
      }
      int second = readByte();
      long length = second & 0x7F;
      if (length == 126) {
        length = (readByte() << 8) | readByte();
      } else if (length == 127) {
        length = 0;
        for (int i = 0; i < 8; i++) {
          length = (length << 8) | readByte();
        }
      }
      if (length > 16L * 1024 * 1024) {
        throw new IOException("server frame of " + length + " bytes");
      }
      byte[] key = (second & 0x80) != 0 ? in.readNBytes(4) : null;
      byte[] payload = in.readNBytes((int) length);
      if (payload.length < length) {
        return null;
      }
      if (key != null) {
        for (int i = 0; i < payload.length; i++) {
          payload[i] ^= key[i & 3];
        }
      }
      return new Frame(first & 0x0F, (first & 0x80) != 0, payload, first & 0x70);
    } catch (SocketTimeoutException e) {
      timedOut = true;
      return null;
    }
  }

  /** Whether the last {@link #read} gave up waiting (rather than seeing the connection end). */
  boolean timedOut() {
    boolean was = timedOut;
    timedOut = false;
    return was;
  }

  private int readByte() throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new EOFException("connection closed inside a frame");
    }
    return b;
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already gone
    }
  }
}
