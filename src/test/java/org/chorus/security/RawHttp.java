package org.chorus.security;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** One HTTP/1.1 exchange on a bare socket: the status and headers exactly as they came over the wire. */
final class RawHttp {
  record Answer(int status, Map<String, List<String>> headers, String body) {
    String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null ? null : values.get(0);
    }
  }

  private RawHttp() {}

  /** {@code head} is the request line and headers without the blank line; {@code body} may be empty. */
  static Answer exchange(int port, String head, byte[] body) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write((head + "\r\nHost: 127.0.0.1:" + port + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      try {
        out.write(body);
        out.flush();
      } catch (IOException refusedEarly) {
        // the server may answer (e.g. 413) and close before it has read a large body
      }
      InputStream in = s.getInputStream();
      String statusLine = line(in);
      Map<String, List<String>> headers = new TreeMap<>();
      for (String h = line(in); !h.isEmpty(); h = line(in)) {
        int colon = h.indexOf(':');
        headers.computeIfAbsent(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(h.substring(colon + 1).trim());
      }
      int length = headers.containsKey("content-length") ? Integer.parseInt(headers.get("content-length").get(0)) : 0;
      byte[] content = in.readNBytes(length);
      return new Answer(Integer.parseInt(statusLine.split(" ")[1]), headers, new String(content, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Answer get(int port, String path, String... extraHeaders) {
    return exchange(port, "GET " + path + " HTTP/1.1" + (extraHeaders.length == 0 ? "" : "\r\n" + String.join("\r\n", extraHeaders)), new byte[0]);
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      if (b != '\r') {
        buf.write(b);
      }
    }
    if (b < 0 && buf.size() == 0) {
      throw new IOException("connection closed before an answer");
    }
    return buf.toString(StandardCharsets.ISO_8859_1);
  }
}
