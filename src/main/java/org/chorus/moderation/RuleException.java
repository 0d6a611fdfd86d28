package org.chorus.moderation;

/** The rules folder cannot be used; the message names file, line and problem. */
public class RuleException extends RuntimeException {
  public RuleException(String message) {
    super(message);
  }
}
