package org.chorus.support;

import org.junit.jupiter.api.BeforeAll;

/** Tests that share the JVM's one node: its API client and a staff token are ready. */
public abstract class OnSharedServer {
  protected static TestServer server;
  protected static Api api;
  protected static String staff;

  @BeforeAll
  static void connectToSharedServer() {
    server = TestServer.shared();
    api = server.api();
    staff = api.staffToken();
  }
}
