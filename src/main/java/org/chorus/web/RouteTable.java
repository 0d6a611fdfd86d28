package org.chorus.web;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The routes of a node's real router, one line each: {@code "GET /api/dialogues/:dialogueId"}, or
 * {@code "* /api/*"} for a handler on every method of a prefix and {@code "* /*"} for one on everything.
 * Published in the node's local shared data when the router is built, so that the access matrix test
 * (and anyone auditing a node) walks exactly what is served, not a hand-kept list.
 */
public final class RouteTable {
  static final String MAP = "chorus.web";
  static final String KEY = "routes";

  private RouteTable() {}

  public static List<String> describe(Router router) {
    List<String> out = new ArrayList<>();
    for (Route r : router.getRoutes()) {
      // Vert.x keeps routes with :parameters as regular expressions but remembers the path as written.
      String shown = r.getPath() == null ? (r.isRegexPath() ? "~regex" : "/*") : r.getPath() + (r.isExactPath() ? "" : "*");
      if (r.methods() == null || r.methods().isEmpty()) {
        out.add("* " + shown);
      } else {
        new TreeSet<>(r.methods().stream().map(Object::toString).toList()).forEach(m -> out.add(m + " " + shown));
      }
    }
    return out;
  }

  static void publish(Vertx vertx, Router router) {
    vertx.sharedData().getLocalMap(MAP).put(KEY, new JsonArray(describe(router)));
  }

  /** The route table of the node running on {@code vertx} (empty before its HTTP server started). */
  public static List<String> of(Vertx vertx) {
    Object table = vertx.sharedData().getLocalMap(MAP).get(KEY);
    List<String> out = new ArrayList<>();
    if (table instanceof JsonArray array) {
      array.forEach(o -> out.add((String) o));
    }
    return out;
  }
}
