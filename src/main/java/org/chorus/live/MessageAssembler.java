package org.chorus.live;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Assembles the frames of one WebSocket into whole messages, within bounds that Vert.x's own aggregation
 * does not keep. A message of more than {@code maxMessageBytes} in all its fragments closes the connection
 * (1009): Vert.x would drop it silently and leave the connection open, the client waiting for an answer that
 * never comes. Text must be valid UTF-8, else the connection is closed (1007, RFC 6455 section 8.1) instead of the
 * text being silently repaired. Binary messages are counted, never kept: the protocol has none. Ping, pong
 * and close frames are Vert.x's business. One per connection, on its event loop.
 */
final class MessageAssembler implements Handler<WebSocketFrame> {
  static final short INVALID_PAYLOAD = 1007;
  static final short PROTOCOL_ERROR = 1002;
  static final short TOO_BIG = 1009;

  private final int maxMessageBytes;
  private final Consumer<String> onText;
  private final Runnable onBinary;
  private final BiConsumer<Short, String> onViolation;

  /** Reused: decode(ByteBuffer) resets it. Reports what a lenient decoder would replace with U+FFFD. */
  private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT)
      .onUnmappableCharacter(CodingErrorAction.REPORT);
  private Buffer text;          // the text message being received, or null
  private long binaryBytes = -1; // bytes of the binary message being received, or -1
  private boolean failed;

  MessageAssembler(int maxMessageBytes, Consumer<String> onText, Runnable onBinary, BiConsumer<Short, String> onViolation) {
    this.maxMessageBytes = maxMessageBytes;
    this.onText = onText;
    this.onBinary = onBinary;
    this.onViolation = onViolation;
  }

  @Override
  public void handle(WebSocketFrame frame) {
    if (failed) {
      return;
    }
    switch (frame.type()) {
      case TEXT -> {
        if (receiving()) {
          fail(PROTOCOL_ERROR, "new message inside a fragmented one");
        } else {
          text = Buffer.buffer();
          append(frame);
        }
      }
      case BINARY -> {
        if (receiving()) {
          fail(PROTOCOL_ERROR, "new message inside a fragmented one");
        } else {
          binaryBytes = 0;
          append(frame);
        }
      }
      case CONTINUATION -> {
        if (receiving()) {
          append(frame);
        } else {
          fail(PROTOCOL_ERROR, "continuation without a message");
        }
      }
      default -> {
        // ping, pong, close: answered by Vert.x
      }
    }
  }

  private boolean receiving() {
    return text != null || binaryBytes >= 0;
  }

  private void append(WebSocketFrame frame) {
    Buffer data = frame.binaryData();
    long size = (text != null ? text.length() : binaryBytes) + data.length();
    if (size > maxMessageBytes) {
      fail(TOO_BIG, "message too big");
      return;
    }
    if (text != null) {
      text.appendBuffer(data);
    } else {
      binaryBytes = size;
    }
    if (frame.isFinal()) {
      finish();
    }
  }

  private void finish() {
    if (text == null) {
      binaryBytes = -1;
      onBinary.run();
      return;
    }
    Buffer whole = text;
    text = null;
    String decoded;
    try {
      decoded = utf8.decode(ByteBuffer.wrap(whole.getBytes())).toString();
    } catch (CharacterCodingException e) {
      fail(INVALID_PAYLOAD, "invalid UTF-8");
      return;
    }
    onText.accept(decoded);
  }

  private void fail(short code, String reason) {
    failed = true;
    text = null;
    binaryBytes = -1;
    onViolation.accept(code, reason);
  }
}
