package dev.sequor.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal JSON reader and writer (RFC 8259) for checkpoint headers and configs.
 *
 * <p>Values map to Java as: object → {@code LinkedHashMap<String,Object>} (key order kept; a
 * duplicate key is an error), array → {@code ArrayList<Object>}, string → String, integer without
 * fraction or exponent → Long (an error if it does not fit), other numbers → Double, true/false →
 * Boolean, null → null. Nesting is limited to {@link #MAX_DEPTH} so that hostile input cannot
 * overflow the stack. Every syntax error is a {@link JsonException} giving the character offset.
 */
public final class Json {
  /** Deepest nesting of arrays and objects accepted. */
  public static final int MAX_DEPTH = 64;

  private final String s;
  private int pos;

  private Json(String s) { this.s = s; }

  /** Thrown for malformed JSON; the message gives the offset. */
  public static final class JsonException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    public JsonException(String message) { super(message); }
  }

  /** Parses one JSON value spanning the whole text (surrounding whitespace allowed). */
  public static Object parse(String text) {
    if (text == null) throw new JsonException("JSON text is null");
    Json p = new Json(text);
    p.skipWs();
    Object v = p.value(0);
    p.skipWs();
    if (p.pos != text.length()) throw p.error("unexpected text after the JSON value");
    return v;
  }

  /** Parses text that must be a JSON object. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> parseObject(String text) {
    Object v = parse(text);
    if (!(v instanceof Map)) throw new JsonException("expected a JSON object, got " + typeName(v));
    return (Map<String, Object>) v;
  }

  /** "object", "array", "string", "number", "boolean" or "null". */
  public static String typeName(Object v) {
    if (v == null) return "null";
    if (v instanceof Map) return "object";
    if (v instanceof List) return "array";
    if (v instanceof String) return "string";
    if (v instanceof Number) return "number";
    if (v instanceof Boolean) return "boolean";
    return v.getClass().getSimpleName();
  }

  // ---- reader ----

  private Object value(int depth) {
    if (pos >= s.length()) throw error("unexpected end of JSON");
    char c = s.charAt(pos);
    return switch (c) {
      case '{' -> object(depth + 1);
      case '[' -> array(depth + 1);
      case '"' -> string();
      case 't' -> literal("true", Boolean.TRUE);
      case 'f' -> literal("false", Boolean.FALSE);
      case 'n' -> literal("null", null);
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) yield number();
        throw error("unexpected character '" + printable(c) + "'");
      }
    };
  }

  private Map<String, Object> object(int depth) {
    if (depth > MAX_DEPTH) throw error("nesting deeper than " + MAX_DEPTH);
    pos++; // {
    Map<String, Object> map = new LinkedHashMap<>();
    skipWs();
    if (peek() == '}') {
      pos++;
      return map;
    }
    while (true) {
      skipWs();
      if (peek() != '"') throw error("expected a string key");
      int keyAt = pos;
      String key = string();
      skipWs();
      if (peek() != ':') throw error("expected ':' after key");
      pos++;
      skipWs();
      Object v = value(depth);
      if (map.containsKey(key)) throw new JsonException("duplicate key \"" + key + "\" at offset " + keyAt);
      map.put(key, v);
      skipWs();
      char c = peek();
      pos++;
      if (c == '}') return map;
      if (c != ',') { pos--; throw error("expected ',' or '}' in object"); }
    }
  }

  private List<Object> array(int depth) {
    if (depth > MAX_DEPTH) throw error("nesting deeper than " + MAX_DEPTH);
    pos++; // [
    List<Object> list = new ArrayList<>();
    skipWs();
    if (peek() == ']') {
      pos++;
      return list;
    }
    while (true) {
      skipWs();
      list.add(value(depth));
      skipWs();
      char c = peek();
      pos++;
      if (c == ']') return list;
      if (c != ',') { pos--; throw error("expected ',' or ']' in array"); }
    }
  }

  private String string() {
    pos++; // opening quote
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (pos >= s.length()) throw error("unterminated string");
      char c = s.charAt(pos++);
      if (c == '"') return sb.toString();
      if (c < 0x20) { pos--; throw error("control character in string"); }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      if (pos >= s.length()) throw error("unterminated escape");
      char e = s.charAt(pos++);
      switch (e) {
        case '"' -> sb.append('"');
        case '\\' -> sb.append('\\');
        case '/' -> sb.append('/');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> {
          if (pos + 4 > s.length()) throw error("truncated \\u escape");
          int cp = 0;
          for (int i = 0; i < 4; i++) {
            int d = Character.digit(s.charAt(pos + i), 16);
            if (d < 0) throw error("bad hex digit in \\u escape");
            cp = cp * 16 + d;
          }
          pos += 4;
          sb.append((char) cp);
        }
        default -> { pos--; throw error("bad escape '\\" + printable(e) + "'"); }
      }
    }
  }

  private Object number() {
    int start = pos;
    boolean integral = true;
    if (peek() == '-') pos++;
    if (peek() == '0') pos++;
    else if (isDigit(peek())) while (isDigit(peek())) pos++;
    else throw error("bad number");
    if (peek() == '.') {
      integral = false;
      pos++;
      if (!isDigit(peek())) throw error("bad number: digit expected after '.'");
      while (isDigit(peek())) pos++;
    }
    if (peek() == 'e' || peek() == 'E') {
      integral = false;
      pos++;
      if (peek() == '+' || peek() == '-') pos++;
      if (!isDigit(peek())) throw error("bad number: digit expected in exponent");
      while (isDigit(peek())) pos++;
    }
    String t = s.substring(start, pos);
    if (integral) {
      try {
        return Long.parseLong(t);
      } catch (NumberFormatException ex) {
        throw new JsonException("integer " + abbreviate(t) + " at offset " + start + " does not fit in 64 bits");
      }
    }
    double d = Double.parseDouble(t);
    if (Double.isInfinite(d)) throw new JsonException("number " + abbreviate(t) + " at offset " + start + " is out of range");
    return d;
  }

  private Object literal(String word, Object v) {
    if (!s.startsWith(word, pos)) throw error("unexpected character '" + printable(s.charAt(pos)) + "'");
    pos += word.length();
    return v;
  }

  private char peek() { return pos < s.length() ? s.charAt(pos) : '\0'; }

  private static boolean isDigit(char c) { return c >= '0' && c <= '9'; }

  private void skipWs() {
    while (pos < s.length()) {
      char c = s.charAt(pos);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') pos++;
      else break;
    }
  }

  private JsonException error(String what) {
    if (pos >= s.length()) return new JsonException(what + " at offset " + pos + " (end of text)");
    return new JsonException(what + " at offset " + pos);
  }

  private static String printable(char c) { return c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c); }

  private static String abbreviate(String t) { return t.length() > 40 ? t.substring(0, 40) + "…" : t; }

  // ---- writer ----

  /** Compact JSON of a value built from Map, List, String, Number, Boolean and null. */
  public static String write(Object v) {
    StringBuilder sb = new StringBuilder();
    write(sb, v);
    return sb.toString();
  }

  private static void write(StringBuilder sb, Object v) {
    if (v == null) sb.append("null");
    else if (v instanceof String str) quote(sb, str);
    else if (v instanceof Boolean b) sb.append(b);
    else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (!Double.isFinite(d)) throw new IllegalArgumentException("JSON has no representation for " + d);
      if (d == Math.rint(d) && Math.abs(d) < 1e15) sb.append((long) d).append(".0");
      else sb.append(v instanceof Float f ? Float.toString(f) : Double.toString(d));
    } else if (v instanceof Number n) sb.append(n.longValue());
    else if (v instanceof Map<?, ?> m) {
      sb.append('{');
      boolean first = true;
      for (var e : m.entrySet()) {
        if (!first) sb.append(',');
        first = false;
        quote(sb, String.valueOf(e.getKey()));
        sb.append(':');
        write(sb, e.getValue());
      }
      sb.append('}');
    } else if (v instanceof List<?> l) {
      sb.append('[');
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) sb.append(',');
        write(sb, l.get(i));
      }
      sb.append(']');
    } else throw new IllegalArgumentException("cannot write " + v.getClass().getName() + " as JSON");
  }

  /** Appends {@code str} as a JSON string literal (non-ASCII kept as is; control characters escaped). */
  public static void quote(StringBuilder sb, String str) {
    sb.append('"');
    for (int i = 0; i < str.length(); i++) {
      char c = str.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
          else sb.append(c);
        }
      }
    }
    sb.append('"');
  }
}
