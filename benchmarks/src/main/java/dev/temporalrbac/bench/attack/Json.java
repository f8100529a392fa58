package dev.temporalrbac.bench.attack;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

/**
 * One JSON line from maps, lists, strings, numbers, booleans and null: the tool's only output.
 * Gson, at the version protobuf-java-util (the policy engine's protobuf JSON) already brings.
 */
final class Json {
  private static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping()
      .create();

  private Json() {}

  static String write(Object value) {
    return GSON.toJson(value);
  }
}
