package org.chorus.dialogue;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JoinCodesAndNicknamesTest {
  @Test
  void codesAreReadableAndVaried() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      String code = JoinCodes.generate();
      assertTrue(code.matches("[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}"), code);
      for (char confusing : "01OILl".toCharArray()) {
        assertTrue(code.indexOf(confusing) < 0, code);
      }
      seen.add(code);
    }
    assertEquals(10_000, seen.size(), "no repeats in 10,000 codes (31^8 possibilities)");
    assertTrue(Math.log(Math.pow(JoinCodes.ALPHABET.length(), JoinCodes.LENGTH)) / Math.log(2) > 39);
  }

  @Test
  void typedCodesAreNormalised() {
    assertEquals("K7QM-3XPD", JoinCodes.normalize(" k7qm 3xpd "));
    assertEquals("K7QM-3XPD", JoinCodes.normalize("K7QM3XPD"));
    assertNull(JoinCodes.normalize("K7QM-3XP"));
    assertNull(JoinCodes.normalize("K7QM-3XP0"), "0 is not in the alphabet");
    assertNull(JoinCodes.normalize(null));
  }

  @Test
  void nicknames() {
    assertTrue(Nicknames.generate().matches("[A-Z][a-z]+ [A-Z][a-z]+"));
    assertEquals("Sunny Fox", Nicknames.clean("  Sunny   Fox "));
    assertEquals("Zhōu 2", Nicknames.clean("Zhōu 2"));
    assertEquals("ليلى", Nicknames.clean("ليلى"));
    assertNull(Nicknames.clean("0712 345 678"), "phone numbers are not nicknames");
    assertNull(Nicknames.clean("a@b.com"));
    assertNull(Nicknames.clean("x"));
    assertNull(Nicknames.clean("x".repeat(25)));
  }
}
