package org.chorus.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A WebSocket client on a bare socket with a tiny receive buffer that says hello and then never reads
 * again — a phone that froze. Only what the test needs: the handshake and masked text frames.
 */
public final class FrozenClient implements AutoCloseable {
  private final Socket socket;

  private FrozenClient(Socket socket) {
    this.socket = socket;
  }

  public static FrozenClient connect(int port, String helloJson) {
    try {
      Socket s = new Socket();
      s.setReceiveBufferSize(2048);
      s.connect(new InetSocketAddress("127.0.0.1", port));
      String key = Base64.getEncoder().encodeToString("chorus-frozen-16".getBytes(StandardCharsets.US_ASCII));
      OutputStream out = s.getOutputStream();
      out.write(("GET /live HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\nUser-Agent: " + TestServer.USER_AGENT + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("closed during the handshake: " + head);
        }
        head.append((char) b);
      }
      if (!head.toString().startsWith("HTTP/1.1 101")) {
        throw new IOException("no upgrade: " + head);
      }
      FrozenClient c = new FrozenClient(s);
      c.sendText(helloJson);
      return c;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void sendText(String text) throws IOException {
    sendFrame(0x81, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Sends {@code count} WebSocket pings of 125 bytes (the largest control frame), never reading the pongs. */
  public void sendPings(int count) {
    byte[] payload = new byte[125];
    try {
      for (int i = 0; i < count; i++) {
        sendFrame(0x89, payload);
      }
    } catch (IOException e) {
      // the server cut the connection while we were still sending: what a dropped client sees
    }
  }

  private void sendFrame(int opcodeByte, byte[] payload) throws IOException {
    byte[] mask = {1, 2, 3, 4};
    java.io.ByteArrayOutputStream frame = new java.io.ByteArrayOutputStream(payload.length + 8);
    frame.write(opcodeByte);
    if (payload.length < 126) {
      frame.write(0x80 | payload.length);
    } else {
      frame.write(0x80 | 126);
      frame.write(payload.length >> 8);
      frame.write(payload.length & 0xff);
    }
    frame.write(mask);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i % 4]);
    }
    OutputStream out = socket.getOutputStream();
    out.write(frame.toByteArray()); // one write per frame: a frame is never split over many packets
    out.flush();
  }


  /** Reads whatever the server sent until it closes the connection; true if it did within {@code millis}. */
  public boolean drainUntilClosed(int millis) {
    return drain(millis) >= 0;
  }

  /**
   * Reads whatever the server sent until it closes the connection: the number of bytes read, or -1 if it
   * was still open after {@code millis}.
   */
  public long drain(int millis) {
    long read = 0;
    try {
      socket.setSoTimeout(millis);
      InputStream in = socket.getInputStream();
      byte[] buf = new byte[65536];
      long deadline = System.currentTimeMillis() + millis;
      while (System.currentTimeMillis() < deadline) {
        int n = in.read(buf);
        if (n < 0) {
          return read;
        }
        read += n;
      }
      return -1;
    } catch (java.net.SocketTimeoutException e) {
      return -1;
    } catch (IOException e) {
      return read; // reset by the server: closed too
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
