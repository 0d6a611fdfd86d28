package org.chorus.moderation;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The statistical second opinion on "is this a first-person disclosure of harm?": logistic regression over character
 * n-grams (2–5 characters inside each word, the word's edges marked {@code <} and {@code >}), words and word pairs of
 * the filter's normalised text ({@link TextNormalizer#full}). Plain Java, no dependency; trained by
 * {@code bench/java/org/chorus/bench/DisclosureModelTrainer.java} on the labelled sets (docs/safeguarding.md,
 * "Statistical second opinion").
 *
 * <p>The model file is text: a header ({@code format}, {@code bias}, {@code threshold}, {@code min-words}, {@code features}, {@code sha256}
 * of the body), a line {@code ---}, then one feature a line, {@code weight<TAB>name}, strongest first, so a person can
 * read what pushes a message towards "disclosure" ({@code c:} character n-gram, {@code w:} word, {@code b:} word pair).
 * A missing, truncated, edited or corrupt file is refused with a message that says what is wrong.
 *
 * <p>Scoring: each feature occurrence adds its weight; the sum is divided by the square root of the number of feature
 * occurrences (so a long message is not a disclosure by sheer length), plus the bias, through the logistic function; a
 * message of fewer than {@code min-words} words scores 0 (no opinion).
 * Features are looked up by a 64-bit hash of their name in an open-addressing table, computed on the fly without
 * building strings: 6–21 µs a message at p50, normalising included (docs/safeguarding.md). Immutable and thread-safe.
 */
public final class DisclosureModel {
  /** Where the shipped model lives on the class path. */
  public static final String RESOURCE = "/moderation/disclosure.model";
  public static final String FORMAT = "chorus-disclosure-model 1";
  /** Character n-grams from MIN_GRAM to MAX_GRAM characters, the word's edge marks included. */
  public static final int MIN_GRAM = 2;
  public static final int MAX_GRAM = 5;
  /** Longer words only give their character n-grams (a run of Chinese characters is one "word"). */
  static final int MAX_WORD_FEATURE = 24;

  private final double bias;
  private final double threshold;
  private final double minWords;
  private final int size;
  private final String description;
  private final long[] keys;
  private final float[] weights;
  private final int mask;

  private DisclosureModel(double bias, double threshold, double minWords, Map<String, Double> features, String description) {
    this.bias = bias;
    this.threshold = threshold;
    this.minWords = minWords;
    this.size = features.size();
    this.description = description;
    int capacity = Integer.highestOneBit(Math.max(16, features.size() * 2 - 1)) << 1;
    this.keys = new long[capacity];
    this.weights = new float[capacity];
    this.mask = capacity - 1;
    for (Map.Entry<String, Double> e : features.entrySet()) {
      long h = hash(e.getKey());
      int slot = slot(h);
      while (keys[slot] != 0) {
        if (keys[slot] == h) {
          throw new ModelException("two features of the model have the same hash: " + e.getKey());
        }
        slot = (slot + 1) & mask;
      }
      keys[slot] = h;
      weights[slot] = e.getValue().floatValue();
    }
  }

  /** A model from weights (the trainer's, and tests'). */
  public static DisclosureModel of(double bias, double threshold, Map<String, Double> features) {
    return of(bias, threshold, 0, features);
  }

  /** As {@link #of(double, double, Map)}, silent on messages of fewer than {@code minWords} {@link #words}. */
  public static DisclosureModel of(double bias, double threshold, double minWords, Map<String, Double> features) {
    return new DisclosureModel(bias, threshold, minWords, features, "in memory");
  }

  /** The probability that the message is a first-person disclosure of harm. Pure, fast, deterministic. */
  public double probability(String text, String language) {
    return probabilityOfNormalised(normalise(text, language));
  }

  /** The text as the model reads it: {@link TextNormalizer#full}, look-alikes read as Latin for a Latin-script language. */
  public static String normalise(String text, String language) {
    boolean latin = language != null && Rule.scriptOf(language) == Character.UnicodeScript.LATIN;
    return TextNormalizer.full(text, latin).text();
  }

  /**
   * As {@link #probability} for text already normalised by {@link TextNormalizer#full}. A message shorter than the
   * model's {@code min-words} scores 0: the model gives no opinion on it (the rules still read it).
   */
  public double probabilityOfNormalised(String normalised) {
    if (minWords > 0 && words(normalised) < minWords) {
      return 0;
    }
    double[] acc = new double[2]; // sum of weights, number of occurrences
    features(normalised, (h, name) -> {
      acc[0] += weight(h);
      acc[1]++;
    }, false);
    return sigmoid(bias + (acc[1] == 0 ? 0 : acc[0] / Math.sqrt(acc[1])));
  }

  /**
   * Words in a normalised text: each run of letters and digits counts one, except in Chinese, Japanese and Thai, where
   * two characters count one word.
   */
  public static double words(String normalised) {
    double words = 0;
    boolean inWord = false;
    for (int i = 0; i < normalised.length(); i++) {
      char c = normalised.charAt(i);
      if (!wordChar(c)) {
        inWord = false;
        continue;
      }
      if (spaceless(c)) {
        words += 0.5;
        inWord = false;
      } else if (!inWord) {
        words++;
        inWord = true;
      }
    }
    return words;
  }

  private static boolean spaceless(char c) {
    if (c < '\u0E00') {
      return false;
    }
    Character.UnicodeScript script = Character.UnicodeScript.of(c);
    return script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
        || script == Character.UnicodeScript.KATAKANA || script == Character.UnicodeScript.THAI;
  }

  /** The model gives no opinion on messages shorter than this many {@link #words}. */
  public double minWords() {
    return minWords;
  }

  /** True when the model says "disclosure" at its threshold. */
  public boolean flags(String text, String language) {
    return probability(text, language) >= threshold;
  }

  public double threshold() {
    return threshold;
  }

  public double bias() {
    return bias;
  }

  public int size() {
    return size;
  }

  /** Where the model came from and what it was trained on (for the log). */
  public String description() {
    return description;
  }

  static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }

  private float weight(long h) {
    int slot = slot(h);
    while (true) {
      long k = keys[slot];
      if (k == h) {
        return weights[slot];
      }
      if (k == 0) {
        return 0;
      }
      slot = (slot + 1) & mask;
    }
  }

  private int slot(long h) {
    return (int) (h ^ (h >>> 32)) & mask;
  }

  // ---- features -----------------------------------------------------------------------------

  /** Receives every feature occurrence: its hash, and its name when asked for (training, inspection). */
  @FunctionalInterface
  public interface FeatureSink {
    void accept(long hash, String name);
  }

  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private static long step(long h, char c) {
    return (h ^ c) * FNV_PRIME;
  }

  /** The hash of a feature name: FNV-1a over its characters (never 0: 0 marks an empty slot). */
  public static long hash(CharSequence name) {
    long h = FNV_OFFSET;
    for (int i = 0; i < name.length(); i++) {
      h = step(h, name.charAt(i));
    }
    return h == 0 ? 1 : h;
  }

  private static final long PREFIX_C = step(step(FNV_OFFSET, 'c'), ':');
  private static final long PREFIX_W = step(step(FNV_OFFSET, 'w'), ':');
  private static final long PREFIX_B = step(step(FNV_OFFSET, 'b'), ':');

  private static boolean wordChar(char c) {
    return Character.isLetterOrDigit(c) || Character.getType(c) == Character.NON_SPACING_MARK
        || Character.getType(c) == Character.COMBINING_SPACING_MARK;
  }

  /**
   * Every feature of a normalised text, in order. Words are runs of letters, digits and marks; each gives its character
   * n-grams of "&lt;word&gt;" ({@code c:}), and, up to {@value #MAX_WORD_FEATURE} characters, itself ({@code w:}) and the pair
   * with the word before ({@code b:}). {@code names}: also build each feature's name (allocates; for training).
   */
  public static void features(String t, FeatureSink sink, boolean names) {
    int n = t.length();
    int prevStart = -1;
    int prevEnd = -1;
    int i = 0;
    while (i < n) {
      if (!wordChar(t.charAt(i))) {
        i++;
        continue;
      }
      int start = i;
      while (i < n && wordChar(t.charAt(i))) {
        i++;
      }
      int end = i;
      // character n-grams of "<word>": position -1 is '<', position len is '>'
      int len = end - start;
      for (int from = -1; from <= len; from++) {
        long h = PREFIX_C;
        for (int k = 0; k < MAX_GRAM && from + k <= len; k++) {
          int at = from + k;
          char c = at < 0 ? '<' : at == len ? '>' : t.charAt(start + at);
          h = step(h, c);
          if (k + 1 >= MIN_GRAM) {
            sink.accept(h == 0 ? 1 : h, names ? gramName(t, start, len, from, k + 1) : null);
          }
        }
      }
      if (len <= MAX_WORD_FEATURE) {
        long w = PREFIX_W;
        for (int k = start; k < end; k++) {
          w = step(w, t.charAt(k));
        }
        sink.accept(w == 0 ? 1 : w, names ? "w:" + t.substring(start, end) : null);
        if (prevStart >= 0) {
          long b = PREFIX_B;
          for (int k = prevStart; k < prevEnd; k++) {
            b = step(b, t.charAt(k));
          }
          b = step(b, ' ');
          for (int k = start; k < end; k++) {
            b = step(b, t.charAt(k));
          }
          sink.accept(b == 0 ? 1 : b, names ? "b:" + t.substring(prevStart, prevEnd) + " " + t.substring(start, end) : null);
        }
        prevStart = start;
        prevEnd = end;
      } else {
        prevStart = -1;
      }
    }
  }

  private static String gramName(String t, int start, int len, int from, int count) {
    StringBuilder sb = new StringBuilder("c:");
    for (int k = 0; k < count; k++) {
      int at = from + k;
      sb.append(at < 0 ? '<' : at == len ? '>' : t.charAt(start + at));
    }
    return sb.toString();
  }

  // ---- the file -----------------------------------------------------------------------------

  /** A model file that cannot be used: missing, truncated, edited by hand without a new checksum, or not a model. */
  public static final class ModelException extends RuntimeException {
    public ModelException(String message) {
      super(message);
    }
  }

  /** The shipped model from the class path; throws {@link ModelException} when it is missing or broken. Blocking. */
  public static DisclosureModel loadResource() {
    try (InputStream in = DisclosureModel.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new ModelException("disclosure model " + RESOURCE + " is missing from the class path (retrain with "
            + "DisclosureModelTrainer, or set moderation.disclosureModel to false)");
      }
      return parse(in.readAllBytes(), "classpath:" + RESOURCE);
    } catch (IOException e) {
      throw new ModelException("disclosure model " + RESOURCE + " cannot be read: " + e.getMessage());
    }
  }

  /** A model file; throws {@link ModelException} when it is missing or broken. Blocking. */
  public static DisclosureModel load(java.nio.file.Path file) {
    if (!java.nio.file.Files.isRegularFile(file)) {
      throw new ModelException("disclosure model " + file + " is missing (retrain with DisclosureModelTrainer, or set "
          + "moderation.disclosureModel to false)");
    }
    try {
      return parse(java.nio.file.Files.readAllBytes(file), file.toString());
    } catch (IOException e) {
      throw new ModelException("disclosure model " + file + " cannot be read: " + e.getMessage());
    }
  }

  /** Reads a model file's bytes; {@code origin} names it in errors. */
  public static DisclosureModel parse(byte[] bytes, String origin) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new ModelException(origin + ": not a disclosure model (not UTF-8 text)");
    }
    int separator = text.indexOf("\n---\n");
    if (separator < 0) {
      throw new ModelException(origin + ": not a disclosure model (no '---' line between header and weights)");
    }
    Map<String, String> header = new LinkedHashMap<>();
    for (String line : text.substring(0, separator).split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.indexOf(' ');
      if (space < 0) {
        throw new ModelException(origin + ": header line '" + line + "' must be 'key value'");
      }
      header.put(line.substring(0, space), line.substring(space + 1).strip());
    }
    if (!FORMAT.equals(header.get("format"))) {
      throw new ModelException(origin + ": format is '" + header.get("format") + "', this server reads '" + FORMAT + "'");
    }
    for (String key : List.of("bias", "threshold", "features", "sha256")) {
      if (!header.containsKey(key)) {
        throw new ModelException(origin + ": header has no '" + key + "' line");
      }
    }
    String body = text.substring(separator + 5);
    String sha = sha256(body.getBytes(StandardCharsets.UTF_8));
    if (!sha.equals(header.get("sha256"))) {
      throw new ModelException(origin + ": checksum mismatch (the weights were changed or cut short after training): "
          + "header says " + header.get("sha256") + ", weights hash to " + sha);
    }
    double bias = number(header, "bias", origin);
    double threshold = number(header, "threshold", origin);
    if (!(threshold > 0 && threshold < 1)) {
      throw new ModelException(origin + ": threshold must be between 0 and 1, got " + threshold);
    }
    double minWords = header.containsKey("min-words") ? number(header, "min-words", origin) : 0;
    if (minWords < 0 || minWords > 100) {
      throw new ModelException(origin + ": min-words must be between 0 and 100, got " + minWords);
    }
    int expected = (int) number(header, "features", origin);
    Map<String, Double> features = new LinkedHashMap<>();
    int lineNo = 0;
    for (String line : body.split("\n")) {
      lineNo++;
      if (line.isEmpty()) {
        continue;
      }
      int tab = line.indexOf('\t');
      if (tab < 0) {
        throw new ModelException(origin + ": weight line " + lineNo + " must be 'weight<TAB>feature'");
      }
      double w;
      try {
        w = Double.parseDouble(line.substring(0, tab));
      } catch (NumberFormatException e) {
        throw new ModelException(origin + ": weight line " + lineNo + " does not start with a number");
      }
      if (!Double.isFinite(w) || features.put(line.substring(tab + 1), w) != null) {
        throw new ModelException(origin + ": weight line " + lineNo + " is not finite or repeats a feature");
      }
    }
    if (features.size() != expected) {
      throw new ModelException(origin + ": header promises " + expected + " features, found " + features.size());
    }
    String trained = header.getOrDefault("trained", "?");
    return new DisclosureModel(bias, threshold, minWords, features, origin + " (" + features.size() + " features, threshold "
        + threshold + ", min-words " + minWords + ", trained " + trained + ")");
  }

  private static double number(Map<String, String> header, String key, String origin) {
    try {
      double v = Double.parseDouble(header.get(key));
      if (!Double.isFinite(v)) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new ModelException(origin + ": header '" + key + "' must be a number, got '" + header.get(key) + "'");
    }
  }

  /**
   * The file's text: comment lines, header, {@code ---}, weights strongest first ({@code features} may hold any order).
   * {@code comments} are written as {@code #} lines (what it was trained on, how to retrain).
   */
  public static String write(double bias, double threshold, Map<String, Double> features, String trained, List<String> comments) {
    return write(bias, threshold, 0, features, trained, comments);
  }

  /** As {@link #write(double, double, Map, String, List)} with a {@code min-words} line. */
  public static String write(double bias, double threshold, double minWords, Map<String, Double> features, String trained,
                             List<String> comments) {
    StringBuilder body = new StringBuilder();
    features.entrySet().stream()
        .sorted((a, b) -> {
          int c = Double.compare(Math.abs(b.getValue()), Math.abs(a.getValue()));
          return c != 0 ? c : a.getKey().compareTo(b.getKey());
        })
        .forEach(e -> body.append(format(e.getValue())).append('\t').append(e.getKey()).append('\n'));
    StringBuilder out = new StringBuilder();
    for (String c : comments) {
      out.append("# ").append(c).append('\n');
    }
    out.append("format ").append(FORMAT).append('\n');
    out.append("trained ").append(trained).append('\n');
    out.append("bias ").append(format(bias)).append('\n');
    out.append("threshold ").append(threshold).append('\n');
    out.append("min-words ").append(minWords).append('\n');
    out.append("features ").append(features.size()).append('\n');
    out.append("sha256 ").append(sha256(body.toString().getBytes(StandardCharsets.UTF_8))).append('\n');
    out.append("---\n");
    out.append(body);
    return out.toString();
  }

  /** Four significant digits: what the file stores and what scoring then uses (floats). */
  private static String format(double w) {
    return String.format(java.util.Locale.ROOT, "%.4g", w);
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
