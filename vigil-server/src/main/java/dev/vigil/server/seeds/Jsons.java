package dev.vigil.server.seeds;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.vigil.server.http.Json;

/** JSON bytes of plain maps and lists (the seeds' API answers plain objects, no envelope). */
final class Jsons {
  private Jsons() {}

  static byte[] bytes(Object o) {
    try {
      return Json.MAPPER.writeValueAsBytes(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
