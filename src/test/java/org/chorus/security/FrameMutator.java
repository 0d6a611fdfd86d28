package org.chorus.security;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Seeded generator of hostile message texts: mutations of valid protocol messages (a field dropped, given a
 * hostile value, named twice; unknown fields; another type; the text truncated or bit-flipped) and random
 * structures (deep nesting, many fields, long arrays, numbers no field can hold). The same seed gives the
 * same texts. Literals that Vert.x's encoder cannot produce (1e400, a 1,500-digit number, "\ud800") are
 * spliced into the encoded text in place of a placeholder.
 */
final class FrameMutator {
  static final List<String> KNOWN_TYPES = List.of("hello", "ping", "contribute", "react", "approve", "reject", "remove",
      "set_prompt", "next_prompt", "slow_mode", "ack_alert", "mute", "remove_participant");
  private static final String PLACEHOLDER = "@@raw%d@@";

  private final Random random;
  private final List<String> raw = new ArrayList<>();

  FrameMutator(Random random) {
    this.random = random;
  }

  /** What a mutation did, for the report, and the frame text. */
  record Mutation(String kind, String text) {}

  Mutation mutate(JsonObject base) {
    raw.clear();
    JsonObject msg = base.copy();
    int choice = random.nextInt(14);
    String kind;
    String text;
    switch (choice) {
      case 0 -> {
        kind = "field_dropped";
        removeRandomField(msg);
        text = render(msg);
      }
      case 1, 2, 3 -> {
        kind = "field_hostile_value";
        msg.put(randomField(msg), hostileValue());
        text = render(msg);
      }
      case 4 -> {
        kind = "unknown_fields";
        for (int i = random.nextInt(5) + 1; i > 0; i--) {
          msg.put(randomName(), hostileValue());
        }
        text = render(msg);
      }
      case 5 -> {
        kind = "type_changed";
        msg.put("type", random.nextInt(4) == 0 ? hostileValue() : KNOWN_TYPES.get(random.nextInt(KNOWN_TYPES.size())));
        text = render(msg);
      }
      case 6 -> {
        kind = "field_named_twice";
        String field = randomField(msg);
        String encoded = render(msg);
        String again = ",\"" + field + "\":" + render(new JsonArray().add(hostileValue())).replaceAll("^\\[|]$", "");
        text = encoded.substring(0, encoded.length() - 1) + (msg.isEmpty() ? again.substring(1) : again) + "}";
      }
      case 7 -> {
        kind = "truncated";
        String encoded = render(msg);
        text = encoded.substring(0, random.nextInt(encoded.length()));
      }
      case 8 -> {
        kind = "chars_flipped";
        text = flipChars(render(msg));
      }
      case 9 -> {
        kind = "deep_nesting";
        msg.put(randomField(msg), nested(random.nextInt(30) + 1));
        text = render(msg);
      }
      case 10 -> {
        kind = "many_fields";
        for (int i = random.nextInt(150) + 30; i > 0; i--) {
          msg.put("f" + i, random.nextInt(1000));
        }
        text = render(msg);
      }
      case 11 -> {
        kind = "long_array";
        JsonArray items = new JsonArray();
        for (int i = random.nextInt(300) + 10; i > 0; i--) {
          items.add(random.nextBoolean() ? random.nextInt() : "x");
        }
        msg.put(randomField(msg), items);
        text = render(msg);
      }
      case 12 -> {
        kind = "number_out_of_range";
        msg.put(randomField(msg), rawLiteral(hugeNumber()));
        text = render(msg);
      }
      default -> {
        kind = "stacked";
        for (int i = random.nextInt(3) + 2; i > 0; i--) {
          if (random.nextBoolean()) {
            msg.put(randomField(msg), hostileValue());
          } else {
            removeRandomField(msg);
          }
        }
        text = render(msg);
      }
    }
    return new Mutation(kind, text);
  }

  /** A text that is not built from any message: junk, JSON that is not an object, or a deep structure. */
  Mutation junk() {
    raw.clear();
    return switch (random.nextInt(8)) {
      case 0 -> new Mutation("junk_text", randomText(random.nextInt(200)));
      case 1 -> new Mutation("not_an_object", render(new JsonArray().add(hostileValue()).add(hostileValue())));
      case 2 -> new Mutation("not_an_object", random.nextBoolean() ? "null" : String.valueOf(random.nextLong()));
      case 3 -> new Mutation("deep_nesting", "{\"type\":\"ping\",\"x\":" + "[".repeat(random.nextInt(3000) + 1) + "]".repeat(random.nextInt(3))
          + "}");
      case 4 -> new Mutation("deep_nesting", render(nested(random.nextInt(60) + 1)));
      case 5 -> new Mutation("empty", random.nextBoolean() ? "" : "   ");
      case 6 -> new Mutation("two_values", "{\"type\":\"ping\"}" + (random.nextBoolean() ? "{\"type\":\"ping\"}" : " x"));
      default -> new Mutation("number_out_of_range", "{\"type\":\"ping\",\"ref\":" + hugeNumber() + "}");
    };
  }

  /** A value no field should accept as it is, of any JSON type. */
  Object hostileValue() {
    return switch (random.nextInt(24)) {
      case 0 -> null;
      case 1 -> "";
      case 2 -> " \t\n ";
      case 3 -> randomText(random.nextInt(64) + 1);
      case 4 -> randomText(random.nextInt(12_000) + 500);
      case 5 -> random.nextBoolean();
      case 6 -> -1;
      case 7 -> 0;
      case 8 -> Long.MAX_VALUE;
      case 9 -> Long.MIN_VALUE;
      case 10 -> (long) Integer.MAX_VALUE + 1;
      case 11 -> 1.5;
      case 12 -> rawLiteral(hugeNumber());
      case 13 -> new BigInteger(70, random);
      case 14 -> new JsonArray().add(1).add("two");
      case 15 -> new JsonObject().put("nested", "object");
      case 16 -> "a\u0000b";
      case 17 -> rawLiteral("\"half \\ud800 pair\"");
      case 18 -> rawLiteral("\"\\udc00 low half\"");
      case 19 -> "\u202Eevil\u200B\uFEFF<script>alert(1)</script>'; DROP TABLE contributions; --%s%n";
      case 20 -> "1-2-3-4-5";
      case 21 -> new UUID(random.nextLong(), random.nextLong()).toString().toUpperCase();
      case 22 -> new UUID(random.nextLong(), random.nextLong()).toString();
      default -> "\uD83D\uDE00".repeat(random.nextInt(1500) + 1);
    };
  }

  private String hugeNumber() {
    return switch (random.nextInt(9)) {
      case 0 -> "1e400";
      case 1 -> "-1e400";
      case 2 -> "1180591620717411303424"; // 2^70
      case 3 -> "9223372036854775808"; // Long.MAX_VALUE + 1
      case 4 -> "-0";
      case 5 -> "7.0";
      case 6 -> "1e-400";
      case 7 -> "1" + "0".repeat(random.nextInt(990) + 10);
      default -> "9".repeat(1001 + random.nextInt(500)); // longer than Jackson reads
    };
  }

  private Object rawLiteral(String literal) {
    raw.add(literal);
    return String.format(PLACEHOLDER, raw.size() - 1);
  }

  private String render(Object value) {
    String text = value instanceof JsonObject o ? o.encode() : ((JsonArray) value).encode();
    for (int i = 0; i < raw.size(); i++) {
      text = text.replace("\"" + String.format(PLACEHOLDER, i) + "\"", raw.get(i));
    }
    return text;
  }

  private Object nested(int depth) {
    Object inner = "deep";
    for (int i = 0; i < depth; i++) {
      inner = random.nextBoolean() ? new JsonArray().add(inner) : new JsonObject().put("n", inner);
    }
    return inner;
  }

  private String randomField(JsonObject msg) {
    List<String> names = new ArrayList<>(msg.fieldNames());
    if (names.isEmpty() || random.nextInt(8) == 0) {
      return randomName();
    }
    names.sort(null); // a stable order, so that the same seed picks the same field
    return names.get(random.nextInt(names.size()));
  }

  private void removeRandomField(JsonObject msg) {
    if (!msg.isEmpty()) {
      List<String> names = new ArrayList<>(msg.fieldNames());
      names.sort(null);
      msg.remove(names.get(random.nextInt(names.size())));
    }
  }

  private String randomName() {
    return switch (random.nextInt(6)) {
      case 0 -> "";
      case 1 -> "__proto__";
      case 2 -> "constructor";
      case 3 -> "x".repeat(random.nextInt(300) + 1);
      case 4 -> "type\u0000";
      default -> "extra" + random.nextInt(100);
    };
  }

  /** Text from several scripts, control characters and emoji; always valid UTF-16. */
  String randomText(int length) {
    StringBuilder out = new StringBuilder(length);
    String[] alphabets = {"abcdefghijklmnopqrstuvwxyz ", "0123456789+-.", "{}[]\":,\\/", "абвгдежз", "مرحبا بك",
        "你好世界", "\u0001\u0007\u001B\u007F", "éàüß"};
    while (out.length() < length) {
      if (random.nextInt(20) == 0) {
        out.append("\uD83D\uDE00");
      } else {
        String alphabet = alphabets[random.nextInt(alphabets.length)];
        out.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
    }
    return out.toString();
  }

  /** One to three characters changed by a bit, kept outside the surrogate range so that the text stays valid UTF-16. */
  private String flipChars(String text) {
    if (text.isEmpty()) {
      return text;
    }
    char[] chars = text.toCharArray();
    for (int n = random.nextInt(3) + 1; n > 0; n--) {
      int at = random.nextInt(chars.length);
      if (Character.isSurrogate(chars[at])) {
        continue;
      }
      char flipped = (char) (chars[at] ^ (1 << random.nextInt(7)));
      chars[at] = flipped;
    }
    return new String(chars);
  }
}
