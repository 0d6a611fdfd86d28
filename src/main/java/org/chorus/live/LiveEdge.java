package org.chorus.live;

import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;

/** Bridges accepted sockets of one verticle instance to their rooms. */
public final class LiveEdge {
  private final Vertx vertx;
  private final LiveServices services;
  private final RoomHub hub;

  public LiveEdge(Vertx vertx, LiveServices services) {
    this.vertx = vertx;
    this.services = services;
    this.hub = new RoomHub(vertx);
  }

  public void accept(ServerWebSocket ws) {
    new RoomConnection(vertx, ws, hub, services);
  }
}
