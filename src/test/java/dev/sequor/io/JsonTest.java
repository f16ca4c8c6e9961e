package dev.sequor.io;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void parsesEveryKindOfValue() {
    Object v = Json.parse(" {\"a\": [1, -2.5e3, true, false, null], \"b\": \"x\\n\\u00e9\\\"\", \"c\": {}} ");
    Map<?, ?> m = (Map<?, ?>) v;
    assertEquals(List.of(1L, -2500.0, true, false), ((List<?>) m.get("a")).subList(0, 4));
    assertNull(((List<?>) m.get("a")).get(4));
    assertEquals("x\né\"", m.get("b"));
    assertEquals(Map.of(), m.get("c"));
  }

  @Test
  void writesWhatItReads() {
    String text = "{\"arch\":\"gpt\",\"n\":[1,2,3],\"s\":\"tab\\there \\\"q\\\" \\\\ \\u0001 ü 𝄞\",\"f\":0.5,\"b\":true,\"z\":null}";
    Object v = Json.parse(text);
    assertEquals(v, Json.parse(Json.write(v)));
    assertEquals(text, Json.write(v));
  }

  @Test
  void rejectsMalformedTextWithItsOffset() {
    for (String bad : new String[] {"", "{", "{\"a\" 1}", "[1,]", "{\"a\":1,}", "tru", "01", "1.", "\"abc", "\"\\x\"", "{\"a\":1}x",
        "{\"a\":1,\"a\":2}", "1e999", "[\"\u0001\"]", "99999999999999999999", "-", "{1:2}"}) {
      Json.JsonException e = assertThrows(Json.JsonException.class, () -> Json.parse(bad), bad);
      assertTrue(e.getMessage().contains("offset"), e.getMessage());
    }
  }

  @Test
  void limitsNesting() {
    String deep = "[".repeat(10_000) + "]".repeat(10_000);
    Json.JsonException e = assertThrows(Json.JsonException.class, () -> Json.parse(deep));
    assertTrue(e.getMessage().contains("nesting"), e.getMessage());
    assertDoesNotThrow(() -> Json.parse("[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH)));
  }
}
