package org.chorus.live;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.chorus.web.ApiError;

import java.io.IOException;

/**
 * Turns one client text frame into a message, or an {@link ApiError} naming what is wrong with it. The tree
 * is built straight from Jackson's streaming parser, counting as it goes, so a frame that nests deeper than
 * {@code live.maxJsonDepth} or holds more than {@code live.maxJsonFields} object fields and array items in all
 * is refused at the first token past the limit, before anything big is built. No client message needs
 * more than a handful of flat fields (docs/protocol.md). A field named twice is refused too: which of the
 * two counts would otherwise be up to the parser. Strings that cannot be stored as text (U+0000, half a
 * surrogate pair) make the message refused with its ref, once the ref is known.
 */
final class FrameReader {
  /** Thread-safe once built; Jackson's own limits (e.g. 1,000 digits in a number) still apply underneath. */
  private static final JsonFactory JSON = JsonFactory.builder().build();
  private static final int MAX_NAME_SHOWN = 64;

  private final int maxDepth;
  private final int maxFields;

  FrameReader(int maxDepth, int maxFields) {
    this.maxDepth = maxDepth;
    this.maxFields = maxFields;
  }

  /**
   * A frame read as a message: its {@code ref} if the answer can echo it, and {@code refusal} when a string in it
   * cannot be stored (the answer then carries the ref, unlike a frame that is not a message at all).
   */
  record Message(JsonObject body, Object ref, ApiError refusal) {}

  /** The frame as a message; throws {@link ApiError} (400) with the code to answer when it is not one. */
  Message read(String text) {
    Budget budget = new Budget();
    Object value;
    try (JsonParser parser = JSON.createParser(text)) {
      value = readValue(parser, parser.nextToken(), 1, budget, "message");
      if (parser.nextToken() != null) {
        throw invalidJson();
      }
    } catch (StreamConstraintsException e) {
      throw ApiError.badRequest("invalid_json", "the message is not valid JSON (a number in it has far too many digits)");
    } catch (IOException e) {
      throw invalidJson();
    }
    if (!(value instanceof JsonObject message)) {
      throw ApiError.badRequest("invalid_message", "a message is a JSON object with a \"type\"");
    }
    return new Message(message, ref(message), budget.refusal);
  }

  /** A ref the answer can echo as it came: text of at most 64 characters, or a finite number. */
  private static Object ref(JsonObject message) {
    Object ref = message.getValue("ref");
    boolean text = ref instanceof String s && s.length() <= 64 && unstorableAt(s) < 0;
    boolean number = ref instanceof Number n && !(n instanceof Double d && !Double.isFinite(d));
    return text || number ? ref : null;
  }

  /** Fields and array items seen so far in this frame, and the first string that cannot be stored. */
  private static final class Budget {
    int used;
    ApiError refusal;
  }

  /** {@code field}: the name of the field the value belongs to (of the array, for its items), for the error. */
  private Object readValue(JsonParser parser, JsonToken token, int depth, Budget budget, String field) throws IOException {
    if (token == null) {
      throw invalidJson();
    }
    return switch (token) {
      case START_OBJECT -> readObject(parser, enter(depth), budget);
      case START_ARRAY -> readArray(parser, enter(depth), budget, field);
      case VALUE_STRING -> storable(parser.getText(), field, budget);
      // Integer, Long or BigInteger for whole numbers, Double (possibly infinite) for the rest: Fields refuses
      // what does not fit the field instead of coercing it.
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getNumberValue();
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> null;
      default -> throw invalidJson();
    };
  }

  private int enter(int depth) {
    if (depth > maxDepth) {
      throw ApiError.badRequest("too_deep", "the message nests objects and arrays more than " + maxDepth + " levels deep");
    }
    return depth;
  }

  private void count(Budget budget) {
    if (++budget.used > maxFields) {
      throw ApiError.badRequest("too_many_fields", "the message has more than " + maxFields + " fields and array items");
    }
  }

  private JsonObject readObject(JsonParser parser, int depth, Budget budget) throws IOException {
    JsonObject object = new JsonObject();
    for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
      if (token != JsonToken.FIELD_NAME) {
        throw invalidJson();
      }
      count(budget);
      String name = parser.currentName();
      if (object.containsKey(name)) {
        throw ApiError.badRequest("invalid_message", (printable(name) ? "\"" + name + "\"" : "a field") + " appears twice in the message");
      }
      object.put(name, readValue(parser, parser.nextToken(), depth + 1, budget, printable(name) ? name : "a field"));
    }
    return object;
  }

  private JsonArray readArray(JsonParser parser, int depth, Budget budget, String field) throws IOException {
    JsonArray array = new JsonArray();
    for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
      count(budget);
      array.add(readValue(parser, token, depth + 1, budget, field));
    }
    return array;
  }

  /**
   * JSON escapes can spell what UTF-8 text cannot hold: U+0000, which PostgreSQL refuses in text (the insert
   * would fail as if the database were down), and half a surrogate pair, which would be stored as "?".
   */
  private static String storable(String text, String field, Budget budget) {
    int bad = unstorableAt(text);
    if (bad >= 0 && budget.refusal == null) {
      budget.refusal = ApiError.badRequest("invalid_field", field + (text.charAt(bad) == 0
          ? " contains the character U+0000, which cannot be stored"
          : " contains half of a surrogate pair, which is not text"));
    }
    return text;
  }

  /** The index of the first U+0000 or unpaired surrogate, or -1. */
  private static int unstorableAt(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (c == 0 || Character.isSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  /** Field names are echoed in error messages only when short and storable. */
  private static boolean printable(String name) {
    return name.length() <= MAX_NAME_SHOWN && unstorableAt(name) < 0;
  }

  private static ApiError invalidJson() {
    return ApiError.badRequest("invalid_json", "the message is not valid JSON");
  }
}
