package org.chorus.dialogue;

import java.security.SecureRandom;
import java.util.List;

/** Friendly generated nicknames ("Blue Otter") for children who do not pick one. */
public final class Nicknames {
  private static final List<String> COLOURS = List.of("Blue", "Green", "Golden", "Silver", "Orange", "Purple",
      "Red", "Yellow", "Teal", "Coral", "Indigo", "Amber", "Jade", "Ruby", "Sky", "Sunny");
  private static final List<String> ANIMALS = List.of("Otter", "Panda", "Falcon", "Dolphin", "Koala", "Tiger",
      "Owl", "Fox", "Turtle", "Zebra", "Penguin", "Lion", "Whale", "Rabbit", "Hedgehog", "Heron", "Gazelle",
      "Lynx", "Robin", "Seal");
  private static final SecureRandom RANDOM = new SecureRandom();

  private Nicknames() {}

  public static String generate() {
    return COLOURS.get(RANDOM.nextInt(COLOURS.size())) + " " + ANIMALS.get(RANDOM.nextInt(ANIMALS.size()));
  }

  /**
   * A chosen nickname, trimmed, or null if it is not acceptable: 2–24 letters, digits, spaces, '-' or
   * '_' in any script, at most four digits (a phone number is not a nickname).
   */
  public static String clean(String chosen) {
    if (chosen == null) {
      return null;
    }
    String trimmed = chosen.strip().replaceAll("\\s+", " ");
    if (trimmed.length() < 2 || trimmed.length() > 24) {
      return null;
    }
    if (!trimmed.matches("[\\p{L}\\p{M}\\p{Nd} _-]+") || trimmed.replaceAll("[\\p{Nd} _-]", "").isEmpty()
        || trimmed.replaceAll("\\P{Nd}", "").length() > 4) {
      return null;
    }
    return trimmed;
  }
}
