package org.chorus.auth;

import java.util.Locale;

public enum Role {
  STAFF, FACILITATOR, CHILD;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Role fromWire(String value) {
    for (Role r : values()) {
      if (r.wire().equals(value)) {
        return r;
      }
    }
    throw new IllegalArgumentException("unknown role " + value);
  }

  /** Staff and facilitators moderate; staff may moderate any dialogue, facilitators only assigned ones. */
  public boolean moderates() {
    return this != CHILD;
  }
}
