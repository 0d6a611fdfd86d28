package org.chorus.auth;

/** The caller could not be authenticated (missing, malformed, forged or expired token). */
public class AuthException extends RuntimeException {
  public AuthException(String message) {
    super(message, null, false, false);
  }
}
