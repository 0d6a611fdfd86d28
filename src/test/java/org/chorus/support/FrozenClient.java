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
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    byte[] mask = {1, 2, 3, 4};
    OutputStream out = socket.getOutputStream();
    out.write(0x81);
    if (payload.length < 126) {
      out.write(0x80 | payload.length);
    } else {
      out.write(0x80 | 126);
      out.write(payload.length >> 8);
      out.write(payload.length & 0xff);
    }
    out.write(mask);
    for (int i = 0; i < payload.length; i++) {
      out.write(payload[i] ^ mask[i % 4]);
    }
    out.flush();
  }

  /** Reads whatever the server sent until it closes the connection; true if it did within {@code millis}. */
  public boolean drainUntilClosed(int millis) {
    try {
      socket.setSoTimeout(millis);
      InputStream in = socket.getInputStream();
      byte[] buf = new byte[65536];
      long deadline = System.currentTimeMillis() + millis;
      while (System.currentTimeMillis() < deadline) {
        if (in.read(buf) < 0) {
          return true;
        }
      }
      return false;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset by the server: closed too
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
