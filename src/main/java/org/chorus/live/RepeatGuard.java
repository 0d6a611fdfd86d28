package org.chorus.live;

import java.util.ArrayDeque;
import java.util.Locale;

/**
 * Spots a child sending the same words again under a new clientId (flooding by copy-paste): the last
 * few texts of a connection, compared without case, spaces and punctuation. A resend under the same
 * clientId is not a repeat: it is the outbox retrying, and gets its stored contribution back.
 * Used on one event loop only.
 */
final class RepeatGuard {
  private static final int REMEMBERED = 5;

  private record Sent(String key, String clientId) {}

  private final ArrayDeque<Sent> recent = new ArrayDeque<>(REMEMBERED);

  /** The outbox resending something already stored (or in flight). */
  boolean isResend(String clientId) {
    return recent.stream().anyMatch(s -> s.clientId().equals(clientId));
  }

  boolean isRepeat(String text, String clientId) {
    String key = key(text);
    return !key.isEmpty() && recent.stream().anyMatch(s -> s.key().equals(key) && !s.clientId().equals(clientId));
  }

  void remember(String text, String clientId) {
    if (recent.size() == REMEMBERED) {
      recent.removeFirst();
    }
    recent.addLast(new Sent(key(text), clientId));
  }

  static String key(String text) {
    return text == null ? "" : text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", "");
  }
}
