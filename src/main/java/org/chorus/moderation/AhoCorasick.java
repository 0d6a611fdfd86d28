package org.chorus.moderation;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * All word-list phrases in one automaton: one pass over the text finds every phrase, however many
 * rules there are. Immutable once built; safe to share between threads.
 *
 * <p>The trie is built with maps, then frozen into flat arrays indexed by state number: {@link #find} runs on every
 * message, three times, and map lookups with boxed characters were a fifth of the filter's time.
 */
final class AhoCorasick<T> {
  record Hit<T>(int start, int end, T value) {}

  private static final int ROOT = 0;
  /** Characters below this have a direct-indexed transition from the root (most text stays near the root). */
  private static final int ROOT_TABLE_SIZE = 0x800;

  /** Build-time node. */
  private static final class Node<T> {
    final Map<Character, Node<T>> next = new HashMap<>();
    Node<T> fail;
    final List<T> outputs = new ArrayList<>();
    final List<Integer> lengths = new ArrayList<>();
  }

  // The frozen automaton, in flat arrays (one object each rather than several per state, so that a pass over a long
  // message touches few cache lines): a state's children are edgeChar/edgeTarget[edgeStart[s] .. edgeStart[s + 1]),
  // sorted by character; the phrases that end in it (its own, then those of its fail chain) are
  // outValue/outLength[outStart[s] .. outStart[s + 1]).
  private final int[] edgeStart;
  private final char[] edgeChar;
  private final int[] edgeTarget;
  private final int[] fail;
  private final int[] outStart;
  private final Object[] outValue;
  private final int[] outLength;
  /** The root's child state per character below {@link #ROOT_TABLE_SIZE}, or -1. */
  private final int[] rootTable = new int[ROOT_TABLE_SIZE];

  AhoCorasick(Map<String, List<T>> phrases) {
    Node<T> root = new Node<>();
    for (var e : phrases.entrySet()) {
      Node<T> node = root;
      for (char c : e.getKey().toCharArray()) {
        node = node.next.computeIfAbsent(c, k -> new Node<>());
      }
      for (T value : e.getValue()) {
        node.outputs.add(value);
        node.lengths.add(e.getKey().length());
      }
    }
    List<Node<T>> order = new ArrayList<>(List.of(root)); // breadth first: a state's number is its index here
    ArrayDeque<Node<T>> queue = new ArrayDeque<>();
    for (Node<T> child : root.next.values()) {
      child.fail = root;
      queue.add(child);
    }
    while (!queue.isEmpty()) {
      Node<T> node = queue.poll();
      order.add(node);
      for (var e : node.next.entrySet()) {
        char c = e.getKey();
        Node<T> child = e.getValue();
        Node<T> f = node.fail;
        while (f != null && !f.next.containsKey(c)) {
          f = f.fail;
        }
        child.fail = f == null ? root : f.next.get(c);
        child.outputs.addAll(child.fail.outputs);
        child.lengths.addAll(child.fail.lengths);
        queue.add(child);
      }
    }
    Map<Node<T>, Integer> state = new IdentityHashMap<>();
    for (int s = 0; s < order.size(); s++) {
      state.put(order.get(s), s);
    }
    int n = order.size();
    int edges = 0;
    int outs = 0;
    for (Node<T> node : order) {
      edges += node.next.size();
      outs += node.outputs.size();
    }
    edgeStart = new int[n + 1];
    edgeChar = new char[edges];
    edgeTarget = new int[edges];
    fail = new int[n];
    outStart = new int[n + 1];
    outValue = new Object[outs];
    outLength = new int[outs];
    int e = 0;
    int o = 0;
    for (int s = 0; s < n; s++) {
      Node<T> node = order.get(s);
      edgeStart[s] = e;
      char[] k = new char[node.next.size()];
      int j = 0;
      for (char c : node.next.keySet()) {
        k[j++] = c;
      }
      Arrays.sort(k);
      for (char c : k) {
        edgeChar[e] = c;
        edgeTarget[e] = state.get(node.next.get(c));
        e++;
      }
      fail[s] = node.fail == null ? ROOT : state.get(node.fail);
      outStart[s] = o;
      for (j = 0; j < node.outputs.size(); j++) {
        outValue[o] = node.outputs.get(j);
        outLength[o] = node.lengths.get(j);
        o++;
      }
    }
    edgeStart[n] = e;
    outStart[n] = o;
    Arrays.fill(rootTable, -1);
    for (int k = edgeStart[ROOT]; k < edgeStart[ROOT + 1] && edgeChar[k] < ROOT_TABLE_SIZE; k++) {
      rootTable[edgeChar[k]] = edgeTarget[k];
    }
  }

  /** The state after reading {@code c} in {@code state}, or -1 when it has no such child. */
  private int child(int state, char c) {
    if (state == ROOT && c < ROOT_TABLE_SIZE) {
      return rootTable[c];
    }
    int from = edgeStart[state];
    int to = edgeStart[state + 1];
    if (to - from <= 8) {
      // most states have one or two children: a short scan beats a binary search
      for (int k = from; k < to; k++) {
        char e = edgeChar[k];
        if (e >= c) {
          return e == c ? edgeTarget[k] : -1;
        }
      }
      return -1;
    }
    int at = Arrays.binarySearch(edgeChar, from, to, c);
    return at >= 0 ? edgeTarget[at] : -1;
  }

  @SuppressWarnings("unchecked")
  List<Hit<T>> find(String text) {
    List<Hit<T>> hits = new ArrayList<>();
    int state = ROOT;
    for (int i = 0; i < text.length(); i++) {
      state = step(state, text.charAt(i));
      for (int k = outStart[state]; k < outStart[state + 1]; k++) {
        hits.add(new Hit<>(i + 1 - outLength[k], i + 1, (T) outValue[k]));
      }
    }
    return hits;
  }

  /** Receives each phrase found, with its span, without a {@link Hit} made for it. */
  interface HitConsumer<T> {
    void accept(int start, int end, T value);
  }

  /** Every phrase found, in the order of {@link #find}. */
  @SuppressWarnings("unchecked")
  void forEachHit(String text, HitConsumer<T> action) {
    int state = ROOT;
    for (int i = 0; i < text.length(); i++) {
      state = step(state, text.charAt(i));
      for (int k = outStart[state]; k < outStart[state + 1]; k++) {
        action.accept(i + 1 - outLength[k], i + 1, (T) outValue[k]);
      }
    }
  }

  /** The state after reading {@code c} in {@code state}, following failure links. */
  private int step(int state, char c) {
    int next;
    while ((next = child(state, c)) < 0 && state != ROOT) {
      state = fail[state];
    }
    return next < 0 ? ROOT : next;
  }
}
