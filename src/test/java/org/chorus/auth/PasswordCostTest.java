package org.chorus.auth;

import io.vertx.core.json.JsonObject;
import org.chorus.app.ChorusConfig;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cost of a password guess with the default PBKDF2-HMAC-SHA256 setting, measured here (median of 5
 * verifications, after one warm-up) and printed for docs/security.md.
 */
class PasswordCostTest {
  /** OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256. */
  static final int OWASP_MINIMUM = 600_000;

  @Test
  void theDefaultCostMeetsTheRecommendationAndTakesMeasurableTime() {
    int iterations = ChorusConfig.of(new JsonObject()).intValue("auth.pbkdf2Iterations");
    assertTrue(iterations >= OWASP_MINIMUM, "auth.pbkdf2Iterations default " + iterations + " is below " + OWASP_MINIMUM);
    PasswordHasher hasher = new PasswordHasher(iterations);
    String hash = hasher.hash("a long staff pass phrase");
    assertTrue(hasher.verify("a long staff pass phrase", hash));
    long[] millis = new long[5];
    for (int i = 0; i < millis.length; i++) {
      long t0 = System.nanoTime();
      hasher.verify("a wrong guess " + i, hash);
      millis[i] = (System.nanoTime() - t0) / 1_000_000;
    }
    Arrays.sort(millis);
    long median = millis[millis.length / 2];
    System.out.printf("PBKDF2-HMAC-SHA256, %d iterations: %d ms per verification (median of 5; all %s) on %d cores%n",
        iterations, median, Arrays.toString(millis), Runtime.getRuntime().availableProcessors());
    assertTrue(median >= 20, "a guess costs next to nothing: " + median + " ms");
  }
}
