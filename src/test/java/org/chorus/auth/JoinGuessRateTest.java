package org.chorus.auth;

import io.vertx.core.json.JsonObject;
import org.chorus.app.ChorusConfig;
import org.chorus.dialogue.JoinCodes;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How many join codes an attacker can try in an hour under the default limits, measured by running the two
 * counters the join service uses (per client and node-wide) second by second through a simulated hour with
 * an attacker who tries again the moment it is allowed; and what that means for guessing an open dialogue's
 * code. The figures are printed for docs/security.md; {@code security.JoinCodeLimitTest} shows the node
 * applies both counters.
 */
class JoinGuessRateTest {
  static final int HOUR = 3600;

  /** Guesses accepted in one hour for {@code clients} attackers, each trying whenever both counters allow. */
  static long guessesPerHour(ChorusConfig config, int clients) {
    CredentialsTest.ManualClock clock = new CredentialsTest.ManualClock();
    FailureCounter perClient = new FailureCounter(config.intValue("join.wrongCodesPerClient"),
        Duration.ofSeconds(config.intValue("join.wrongCodeWindowSeconds")), clock);
    FailureCounter global = new FailureCounter(config.intValue("join.wrongCodesGlobalPerMinute"), Duration.ofMinutes(1), clock);
    long accepted = 0;
    for (int second = 0; second < HOUR; second++) {
      for (int c = 0; c < clients; c++) {
        String client = "10.0." + (c / 256) + "." + (c % 256);
        while (perClient.retryAfterSeconds(client) == 0 && global.retryAfterSeconds("*") == 0) {
          perClient.fail(client);
          global.fail("*");
          accepted++;
        }
      }
      clock.advance(Duration.ofSeconds(1));
    }
    return accepted;
  }

  @Test
  void anAttackerGetsSixtyGuessesAnHourPerAddressAndTheNodeAtMost36000() {
    ChorusConfig defaults = ChorusConfig.of(new JsonObject());
    long perClientLimit = (long) defaults.intValue("join.wrongCodesPerClient") * HOUR / defaults.intValue("join.wrongCodeWindowSeconds");
    long nodeLimit = (long) defaults.intValue("join.wrongCodesGlobalPerMinute") * 60;

    long one = guessesPerHour(defaults, 1);
    long hundred = guessesPerHour(defaults, 100);
    long thousand = guessesPerHour(defaults, 1000);
    assertEquals(perClientLimit, one, "one address");
    assertEquals(100 * perClientLimit, hundred, "100 addresses, still under the node-wide limit");
    assertEquals(nodeLimit, thousand, "1,000 addresses hit the node-wide limit");

    double codes = Math.pow(JoinCodes.ALPHABET.length(), JoinCodes.LENGTH);
    System.out.printf("join-code guessing: %d guesses/h from one address, %d from 100, %d from 1,000 (node-wide cap); code space %.3e%n",
        one, hundred, thousand, codes);
    for (int open : new int[] {1, 10, 100, 1000}) {
      double hoursOne = codes / open / one;
      double hoursNode = codes / open / thousand;
      System.out.printf("  %4d open dialogues: expected %.3g years from one address, %.3g years at the node-wide cap; "
          + "P(hit within 24 h at the cap) = %.2g%n", open, hoursOne / 8766, hoursNode / 8766, 24.0 * thousand * open / codes);
    }
    // The guard: even with 100 open dialogues, at the node-wide cap, the expected time to the first hit is over a decade.
    assertTrue(codes / 100 / thousand / 8766 > 10, "join codes are too easy to guess at these limits");
  }
}
