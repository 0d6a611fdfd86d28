package org.chorus.moderation;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The full normalisation, including the passes that leave most messages as they are. */
class TextNormalizerTest {
  @Test
  void spelledOutLettersAreJoinedAnywhere() {
    assertEquals("sex is bad", TextNormalizer.full("s e x is bad").text());
    assertEquals("you said fuck", TextNormalizer.full("you said f.u.c.k").text(), "at the end of the text");
    assertEquals("i am ok", TextNormalizer.full("i am ok").text(), "two single letters are no run");
  }

  @Test
  void repeatedLettersAreCollapsedAnywhere() {
    assertEquals("stupid", TextNormalizer.full("stuuupid").text());
    assertEquals("so", TextNormalizer.full("sooo").text(), "at the end of the text");
    assertEquals("good 1000 !!!", TextNormalizer.full("good 1000 !!!").text(), "two letters, digits and marks stay");
  }

  @Test
  void originsPointIntoTheOriginal() {
    TextNormalizer.Normalized n = TextNormalizer.full("Hi  s e x");
    assertEquals("hi sex", n.text());
    assertArrayEquals(new int[] {0, 1, 2, 4, 6, 8, 9}, n.origin());
    TextNormalizer.Normalized plain = TextNormalizer.full("nothing to do here");
    assertEquals("nothing to do here", plain.text());
    assertEquals(18, plain.originEnd(18, "nothing to do here"));
  }
}
