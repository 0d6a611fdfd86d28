package org.chorus.live;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;

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
 * text being silently repaired. Binary messages are counted, never kept: the protocol has none.
 * <p>
 * Whole messages are rate-limited where they are read ({@link RoomConnection}); the frames that are not a whole
 * message — pings, pongs and every fragment (empty ones included, which no size limit bounds) — spend a budget
 * of their own here, and past it the connection is closed (1008). Ping, pong and close frames are otherwise
 * Vert.x's business (it answers pings itself). Frames with reserved bits that no negotiated extension explains
 * are refused by {@link #reservedBitsCheck()} (1002). One per connection, on its event loop.
 */
final class MessageAssembler implements Handler<WebSocketFrame> {
  static final short INVALID_PAYLOAD = 1007;
  static final short PROTOCOL_ERROR = 1002;
  static final short POLICY_VIOLATION = 1008;
  static final short TOO_BIG = 1009;
  /** Frames that are not a whole message (pings, pongs, fragments) allowed per whole message of the rate limit. */
  static final int FRAMES_PER_MESSAGE = 16;

  private final int maxMessageBytes;
  private final TokenBucket otherFrames;
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

  /**
   * {@code messagesPerSecond} and {@code messageBurst}: the connection's message rate limit; pings, pongs and
   * fragments may come {@link #FRAMES_PER_MESSAGE} times as often.
   */
  MessageAssembler(int maxMessageBytes, int messagesPerSecond, int messageBurst, Consumer<String> onText, Runnable onBinary,
                   BiConsumer<Short, String> onViolation) {
    this.maxMessageBytes = maxMessageBytes;
    this.otherFrames = new TokenBucket((double) messagesPerSecond * FRAMES_PER_MESSAGE, (double) messageBurst * FRAMES_PER_MESSAGE);
    this.onText = onText;
    this.onBinary = onBinary;
    this.onViolation = onViolation;
  }

  @Override
  public void handle(WebSocketFrame frame) {
    if (failed) {
      return;
    }
    if (!wholeMessage(frame) && !otherFrames.tryTake()) {
      fail(POLICY_VIOLATION, "too many pings, pongs or fragments");
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
        // ping, pong, close: answered by Vert.x (ping and pong counted above)
      }
    }
  }

  /** An unfragmented text or binary message (rate-limited as a message), or a close frame (the last one). */
  private static boolean wholeMessage(WebSocketFrame frame) {
    WebSocketFrameType type = frame.type();
    return type == WebSocketFrameType.CLOSE || (frame.isFinal() && (type == WebSocketFrameType.TEXT || type == WebSocketFrameType.BINARY));
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

  /**
   * A handler for the socket's Netty pipeline, to go right before Vert.x's own (after the frame decoder and the
   * decoders of negotiated extensions): Vert.x's frames no longer carry the three reserved bits. RFC 6455 section 5.2
   * says a reserved bit that no negotiated extension defines must fail the connection; Netty lets any through once
   * compression is enabled (it cannot tell which extension a client will negotiate). The decoders of the
   * compression extensions (permessage-deflate, deflate-frame) clear RSV1 on the frames they inflate, so whatever is
   * still set here is unexplained: the frame is dropped and the connection closed (1002).
   */
  ChannelHandler reservedBitsCheck() {
    return new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof io.netty.handler.codec.http.websocketx.WebSocketFrame frame && frame.rsv() != 0) {
          frame.release();
          if (!failed) {
            fail(PROTOCOL_ERROR, "reserved bits set");
          }
          return;
        }
        ctx.fireChannelRead(msg);
      }
    };
  }
}
