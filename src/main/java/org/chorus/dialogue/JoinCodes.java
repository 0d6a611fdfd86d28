package org.chorus.dialogue;

import java.security.SecureRandom;
import java.util.Locale;

/**
 * Join codes such as {@code K7QM-3XPD}: eight characters from a 31-symbol alphabet with no 0/O, 1/I/L
 * look-alikes (31^8 ≈ 8.5·10^11, about 39.6 bits). Typed in any case, with or without the dash.
 */
public final class JoinCodes {
  public static final String ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
  public static final int LENGTH = 8;
  private static final SecureRandom RANDOM = new SecureRandom();

  private JoinCodes() {}

  public static String generate() {
    StringBuilder sb = new StringBuilder(LENGTH + 1);
    for (int i = 0; i < LENGTH; i++) {
      if (i == LENGTH / 2) {
        sb.append('-');
      }
      sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }

  /**
   * The canonical form of what a child typed, or null if it cannot be a code. Spaces and dashes are
   * ignored; o→0 style confusions cannot occur because those symbols are not in the alphabet.
   */
  public static String normalize(String typed) {
    if (typed == null) {
      return null;
    }
    String compact = typed.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
    if (compact.length() != LENGTH) {
      return null;
    }
    for (char c : compact.toCharArray()) {
      if (ALPHABET.indexOf(c) < 0) {
        return null;
      }
    }
    return compact.substring(0, LENGTH / 2) + "-" + compact.substring(LENGTH / 2);
  }
}
