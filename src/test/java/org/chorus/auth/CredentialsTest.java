package org.chorus.auth;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CredentialsTest {
  @Test
  void passwordHashesVerifyAndAreSalted() {
    PasswordHasher hasher = new PasswordHasher(10_000);
    String a = hasher.hash("correct horse battery");
    String b = hasher.hash("correct horse battery");
    assertNotEquals(a, b);
    assertTrue(a.startsWith("pbkdf2-sha256$10000$"));
    assertTrue(hasher.verify("correct horse battery", a));
    assertFalse(hasher.verify("correct horse batterY", a));
    assertTrue(new PasswordHasher(20_000).verify("correct horse battery", a), "the iteration count travels with the hash");
    assertFalse(hasher.verify("x", "not-a-hash"));
    assertEquals(16, PasswordHasher.generatePassword().length());
  }

  /** A clock the test moves by hand. */
  static final class ManualClock extends Clock {
    Instant now = Instant.parse("2026-11-23T10:00:00Z");
    @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
    @Override public Clock withZone(java.time.ZoneId zone) { return this; }
    @Override public Instant instant() { return now; }
    void advance(Duration d) { now = now.plus(d); }
  }

  @Test
  void failureCounterBlocksForTheRestOfTheWindow() {
    ManualClock clock = new ManualClock();
    FailureCounter counter = new FailureCounter(3, Duration.ofMinutes(10), clock);
    for (int i = 0; i < 3; i++) {
      assertEquals(0, counter.retryAfterSeconds("client"));
      counter.fail("client");
    }
    assertEquals(600, counter.retryAfterSeconds("client"));
    assertEquals(0, counter.retryAfterSeconds("another client"));
    clock.advance(Duration.ofMinutes(9));
    assertEquals(60, counter.retryAfterSeconds("client"));
    clock.advance(Duration.ofMinutes(1));
    assertEquals(0, counter.retryAfterSeconds("client"));
  }

  @Test
  void loginBackoffGrowsAndASuccessClearsIt() {
    ManualClock clock = new ManualClock();
    LoginThrottle throttle = new LoginThrottle(3, clock);
    for (int i = 0; i < 3; i++) {
      throttle.fail("admin");
    }
    assertEquals(1, throttle.retryAfterSeconds("admin"));
    throttle.fail("admin");
    assertEquals(2, throttle.retryAfterSeconds("admin"));
    throttle.fail("admin");
    throttle.fail("admin");
    assertEquals(8, throttle.retryAfterSeconds("admin"));
    for (int i = 0; i < 30; i++) {
      throttle.fail("admin");
    }
    assertEquals(900, throttle.retryAfterSeconds("admin"), "capped at 15 minutes");
    clock.advance(Duration.ofMinutes(15));
    assertEquals(0, throttle.retryAfterSeconds("admin"));
    throttle.succeed("admin");
    throttle.fail("admin");
    assertEquals(0, throttle.retryAfterSeconds("admin"));
  }
}
