package org.chorus.moderation;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * All word-list phrases in one automaton: one pass over the text finds every phrase, however many
 * rules there are. Immutable once built; safe to share between threads.
 */
final class AhoCorasick<T> {
  record Hit<T>(int start, int end, T value) {}

  private static final class Node<T> {
    final Map<Character, Node<T>> next = new HashMap<>();
    Node<T> fail;
    final List<T> outputs = new ArrayList<>();
    final List<Integer> lengths = new ArrayList<>();
  }

  private final Node<T> root = new Node<>();

  AhoCorasick(Map<String, List<T>> phrases) {
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
    ArrayDeque<Node<T>> queue = new ArrayDeque<>();
    for (Node<T> child : root.next.values()) {
      child.fail = root;
      queue.add(child);
    }
    while (!queue.isEmpty()) {
      Node<T> node = queue.poll();
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
  }

  List<Hit<T>> find(String text) {
    List<Hit<T>> hits = new ArrayList<>();
    Node<T> node = root;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      while (node != root && !node.next.containsKey(c)) {
        node = node.fail;
      }
      node = node.next.getOrDefault(c, root);
      for (int k = 0; k < node.outputs.size(); k++) {
        hits.add(new Hit<>(i + 1 - node.lengths.get(k), i + 1, node.outputs.get(k)));
      }
    }
    return hits;
  }
}
