package org.chorus.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** What a fuzz run sent and got back, counted across its lanes (threads), and what went wrong. */
final class FuzzStats {
  /** The hello each fresh connection of a child or moderator lane begins with: sent, but not fuzz. */
  static final String SETUP = "hello_on_connect";
  private static final int PROBLEMS_KEPT = 30;

  private final Map<String, LongAdder> sent = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> answers = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> errorCodes = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> closes = new ConcurrentHashMap<>();
  private final LongAdder broadcasts = new LongAdder();
  private final LongAdder serverErrors = new LongAdder();
  private final List<String> problems = new ArrayList<>();
  private int problemCount;

  void sent(String category) {
    count(sent, category);
  }

  void answer(String type) {
    count(answers, type);
  }

  void error(String code) {
    count(errorCodes, code);
  }

  void closed(String how) {
    count(closes, how);
  }

  void broadcast() {
    broadcasts.increment();
  }

  void serverError(String what) {
    serverErrors.increment();
    problem("server error: " + what);
  }

  synchronized void problem(String what) {
    problemCount++;
    if (problems.size() < PROBLEMS_KEPT) {
      problems.add(what.length() > 400 ? what.substring(0, 400) + "…" : what);
    }
  }

  long framesSent() {
    return total(sent);
  }

  /** Frames sent minus the setup hellos. */
  long fuzzFramesSent() {
    LongAdder setup = sent.get(SETUP);
    return total(sent) - (setup == null ? 0 : setup.sum());
  }

  long serverErrors() {
    return serverErrors.sum();
  }

  synchronized int problemCount() {
    return problemCount;
  }

  synchronized List<String> problems() {
    return List.copyOf(problems);
  }

  Map<String, Long> errorCodes() {
    return snapshot(errorCodes);
  }

  Map<String, Long> closes() {
    return snapshot(closes);
  }

  String report(long seed, long millis) {
    return "fuzz seed " + seed + " (-Dfuzz.seed=" + seed + " repeats it): " + framesSent() + " frames in " + millis + " ms"
        + "\n  sent by category: " + snapshot(sent)
        + "\n  answers by type: " + snapshot(answers) + ", broadcasts seen: " + broadcasts.sum()
        + "\n  error codes: " + snapshot(errorCodes)
        + "\n  connections closed by the server: " + snapshot(closes)
        + "\n  server errors: " + serverErrors.sum() + ", problems: " + problemCount()
        + (problems().isEmpty() ? "" : "\n    " + String.join("\n    ", problems()));
  }

  private static void count(Map<String, LongAdder> map, String key) {
    map.computeIfAbsent(key, k -> new LongAdder()).increment();
  }

  private static long total(Map<String, LongAdder> map) {
    return map.values().stream().mapToLong(LongAdder::sum).sum();
  }

  private static Map<String, Long> snapshot(Map<String, LongAdder> map) {
    Map<String, Long> out = new TreeMap<>();
    map.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }
}
