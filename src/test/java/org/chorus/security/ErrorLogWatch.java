package org.chorus.security;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Watches what the server logs (slf4j-simple writes to System.err) while it is installed, keeping the lines
 * logged at ERROR or WARN (e.g. "live request failed"), which hostile input alone should not cause. Everything still reaches the real System.err.
 */
final class ErrorLogWatch implements AutoCloseable {
  private final PrintStream original = System.err;
  private final List<String> errors = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();

  ErrorLogWatch() {
    System.setErr(new PrintStream(new OutputStream() {
      private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();

      @Override
      public void write(int b) {
        original.write(b);
        synchronized (ErrorLogWatch.this) {
          if (b == '\n') {
            lineEnded(pending.toString(StandardCharsets.UTF_8));
            pending.reset();
          } else {
            pending.write(b);
          }
        }
      }
    }, true, StandardCharsets.UTF_8));
  }

  private void lineEnded(String text) {
    // slf4j-simple: "HH:mm:ss.SSS LEVEL Logger - message"
    if (text.contains(" ERROR ") || text.startsWith("ERROR ")) {
      errors.add(text);
    } else if (text.contains(" WARN ")) {
      warnings.add(text);
    }
  }

  synchronized List<String> errors() {
    return List.copyOf(errors);
  }

  synchronized List<String> warnings() {
    return List.copyOf(warnings);
  }

  @Override
  public void close() {
    System.setErr(original);
  }
}
