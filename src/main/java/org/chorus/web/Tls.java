package org.chorus.web;

/**
 * Optional TLS for the HTTP server: a certificate chain and its private key as PEM files (both or
 * neither; checked at start by {@code ChorusConfig}). Empty paths: plain HTTP, e.g. behind a TLS proxy.
 */
public record Tls(String certFile, String keyFile) {
  public static final Tls OFF = new Tls("", "");

  public boolean enabled() {
    return !certFile.isEmpty();
  }
}
