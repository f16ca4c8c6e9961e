package dev.sequor.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors format: an 8-byte little-endian header length N, N bytes of UTF-8 JSON header,
 * then the raw little-endian tensor data. The header maps each tensor name to
 * {@code {"dtype":…,"shape":[…],"data_offsets":[begin,end]}} (offsets relative to the data section)
 * and may hold {@code "__metadata__"}, an object of strings.
 *
 * <p>{@link #read} validates everything before any tensor is used: a header length beyond the file
 * or over {@link #MAX_HEADER_BYTES}, a header that is not UTF-8 or not JSON or not an object, a
 * malformed entry, an unknown or unsupported dtype, offsets out of range, overlapping or leaving
 * gaps, a byte size that disagrees with shape × dtype — each a {@link CheckpointFormatException}
 * saying what and where. Only F32 and BF16 tensors load; {@link #write} writes F32.
 */
public final class Safetensors {
  private Safetensors() {}

  /** Largest header accepted (the safetensors library's own limit). */
  public static final long MAX_HEADER_BYTES = 100_000_000L;

  /** The reserved header key of the string metadata. */
  public static final String METADATA_KEY = "__metadata__";

  /** A parsed file: string metadata and tensors in data order. */
  public record Contents(Map<String, String> metadata, Map<String, SafeTensor> tensors) {
    public Contents {
      metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
      tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }
  }

  /** A float32 tensor to write: {@code values[offset .. offset + prod(shape))}. */
  public record F32Tensor(String name, int[] shape, float[] values, int offset) {
    public F32Tensor {
      shape = shape.clone();
    }

    long elements() {
      long n = 1;
      for (int d : shape) n *= d;
      return n;
    }
  }

  /** Reads and validates the file at {@code path}; content defects name the file. */
  public static Contents read(Path path) throws IOException {
    long size = Files.size(path);
    if (size > Integer.MAX_VALUE - 8)
      throw new CheckpointFormatException(path + ": file of " + size + " bytes is too large (2 GB at most)");
    return read(ByteBuffer.wrap(Files.readAllBytes(path)), path.toString());
  }

  /** Reads and validates a whole file held in {@code file} (position to limit); {@code source} names it in messages. */
  public static Contents read(ByteBuffer file, String source) {
    try {
      return parse(file.slice().order(ByteOrder.LITTLE_ENDIAN));
    } catch (CheckpointFormatException e) {
      throw new CheckpointFormatException(source + ": " + e.getMessage(), e);
    }
  }

  private record Entry(String name, DType dtype, int[] shape, long begin, long end) {}

  private static Contents parse(ByteBuffer buf) {
    long fileLen = buf.remaining();
    if (fileLen < 8) throw new CheckpointFormatException("file of " + fileLen + " bytes is too short for the 8-byte header length");
    long headerLen = buf.getLong(0);
    if (headerLen < 0 || headerLen > MAX_HEADER_BYTES)
      throw new CheckpointFormatException("header length " + Long.toUnsignedString(headerLen) + " is over the limit of " + MAX_HEADER_BYTES + " bytes");
    if (headerLen > fileLen - 8)
      throw new CheckpointFormatException("header length " + headerLen + " runs beyond the end of the file (" + (fileLen - 8) + " bytes after the length)");
    if (headerLen < 2) throw new CheckpointFormatException("header of " + headerLen + " bytes cannot hold a JSON object");
    String headerText = decodeUtf8(buf.duplicate().position(8).limit((int) (8 + headerLen)));
    Map<String, Object> header;
    try {
      header = Json.parseObject(headerText);
    } catch (Json.JsonException e) {
      throw new CheckpointFormatException("header is not valid JSON: " + e.getMessage(), e);
    }
    long dataStart = 8 + headerLen;
    long dataLen = fileLen - dataStart;

    Map<String, String> metadata = new LinkedHashMap<>();
    List<Entry> entries = new ArrayList<>();
    for (var e : header.entrySet()) {
      String name = e.getKey();
      if (name.equals(METADATA_KEY)) {
        metadata.putAll(metadata(e.getValue()));
        continue;
      }
      entries.add(entry(name, e.getValue(), dataLen));
    }
    checkLayout(entries, dataLen);

    Map<String, SafeTensor> tensors = new LinkedHashMap<>();
    for (Entry en : entries) {
      ByteBuffer bytes = buf.duplicate().position((int) (dataStart + en.begin)).limit((int) (dataStart + en.end)).slice();
      tensors.put(en.name, new SafeTensor(en.name, en.dtype, en.shape, bytes));
    }
    return new Contents(metadata, tensors);
  }

  private static String decodeUtf8(ByteBuffer bytes) {
    try {
      CharBuffer cb = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(bytes);
      return cb.toString();
    } catch (CharacterCodingException e) {
      throw new CheckpointFormatException("header is not valid UTF-8");
    }
  }

  private static Map<String, String> metadata(Object v) {
    if (!(v instanceof Map<?, ?> m))
      throw new CheckpointFormatException(METADATA_KEY + " must be an object of strings, got " + Json.typeName(v));
    Map<String, String> out = new LinkedHashMap<>();
    for (var e : m.entrySet()) {
      if (!(e.getValue() instanceof String s))
        throw new CheckpointFormatException(METADATA_KEY + "." + e.getKey() + " must be a string, got " + Json.typeName(e.getValue()));
      out.put((String) e.getKey(), s);
    }
    return out;
  }

  private static Entry entry(String name, Object v, long dataLen) {
    String where = "tensor '" + name + "'";
    if (!(v instanceof Map<?, ?> m)) throw new CheckpointFormatException(where + ": entry must be an object, got " + Json.typeName(v));
    Object dt = m.get("dtype");
    if (!(dt instanceof String dts)) throw new CheckpointFormatException(where + ": \"dtype\" must be a string, got " + Json.typeName(dt));
    DType dtype = DType.of(dts, name);
    Object sh = m.get("shape");
    if (!(sh instanceof List<?> shl)) throw new CheckpointFormatException(where + ": \"shape\" must be an array, got " + Json.typeName(sh));
    int[] shape = new int[shl.size()];
    for (int i = 0; i < shape.length; i++) {
      Object d = shl.get(i);
      if (!(d instanceof Long dl) || dl < 0 || dl > Integer.MAX_VALUE)
        throw new CheckpointFormatException(where + ": shape " + abbreviate(Json.write(shl)) + " must hold integers in [0, 2^31)");
      shape[i] = (int) (long) dl;
    }
    long elements = elements(shape, dataLen);
    Object of = m.get("data_offsets");
    if (!(of instanceof List<?> ofl) || ofl.size() != 2 || !(ofl.get(0) instanceof Long b) || !(ofl.get(1) instanceof Long en))
      throw new CheckpointFormatException(where + ": \"data_offsets\" must be [begin, end] integers, got " + abbreviate(Json.write(of)));
    if (b < 0 || en < b)
      throw new CheckpointFormatException(where + ": data_offsets [" + b + ", " + en + "] are not an increasing pair of non-negative offsets");
    if (en > dataLen)
      throw new CheckpointFormatException(where + ": data_offsets [" + b + ", " + en + "] run beyond the data section of " + dataLen + " bytes");
    long expected = elements == Long.MAX_VALUE ? Long.MAX_VALUE : elements * dtype.bytes;
    if (en - b != expected)
      throw new CheckpointFormatException(where + ": " + (en - b) + " bytes at [" + b + ", " + en + ") but shape "
          + Arrays.toString(shape) + " of " + dtype + " needs " + (expected == Long.MAX_VALUE ? "more than the file holds" : expected + " bytes"));
    return new Entry(name, dtype, shape, b, en);
  }

  /** The product of {@code shape}, or Long.MAX_VALUE when it exceeds {@code limit} (no overflow). */
  private static long elements(int[] shape, long limit) {
    for (int d : shape) if (d == 0) return 0;
    long n = 1;
    for (int d : shape) {
      if (n > limit / d) return Long.MAX_VALUE;
      n *= d;
    }
    return n;
  }

  private static void checkLayout(List<Entry> entries, long dataLen) {
    entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
    long covered = 0;
    Entry prev = null;
    for (Entry e : entries) {
      if (e.begin < covered)
        throw new CheckpointFormatException("tensor '" + e.name + "' at [" + e.begin + ", " + e.end + ") overlaps tensor '"
            + prev.name + "' at [" + prev.begin + ", " + prev.end + ")");
      if (e.begin > covered)
        throw new CheckpointFormatException("gap of " + (e.begin - covered) + " bytes in the data section at [" + covered + ", " + e.begin
            + ") before tensor '" + e.name + "'");
      covered = e.end;
      prev = e;
    }
    if (covered != dataLen)
      throw new CheckpointFormatException("data section has " + dataLen + " bytes but the tensors cover only [0, " + covered + ")");
  }

  private static String abbreviate(String s) { return s.length() > 80 ? s.substring(0, 80) + "…" : s; }

  /**
   * Writes a safetensors file of F32 tensors, in the order given, with string metadata. The header
   * is padded with spaces to a multiple of 8 bytes (as the reference implementation does), so the
   * data section is aligned for memory mapping.
   */
  public static void write(OutputStream out, Map<String, String> metadata, List<F32Tensor> tensors) throws IOException {
    Map<String, Object> header = new LinkedHashMap<>();
    if (metadata != null && !metadata.isEmpty()) header.put(METADATA_KEY, new LinkedHashMap<>(metadata));
    long offset = 0;
    for (F32Tensor t : tensors) {
      if (t.name().equals(METADATA_KEY) || header.containsKey(t.name()))
        throw new IllegalArgumentException("tensor name '" + t.name() + "' is reserved or repeated");
      long bytes = t.elements() * 4;
      if (t.offset() < 0 || t.offset() + t.elements() > t.values().length)
        throw new IllegalArgumentException("tensor '" + t.name() + "': shape " + Arrays.toString(t.shape()) + " at offset "
            + t.offset() + " outside its array of " + t.values().length);
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("dtype", "F32");
      List<Object> shape = new ArrayList<>();
      for (int d : t.shape()) shape.add((long) d);
      entry.put("shape", shape);
      entry.put("data_offsets", List.of(offset, offset + bytes));
      header.put(t.name(), entry);
      offset += bytes;
    }
    byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) & ~7;
    ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    head.putLong(padded).put(json);
    while (head.hasRemaining()) head.put((byte) ' ');
    out.write(head.array());
    ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    for (F32Tensor t : tensors) {
      int n = (int) t.elements();
      for (int i = 0; i < n; i++) {
        if (!chunk.hasRemaining()) {
          out.write(chunk.array(), 0, chunk.position());
          chunk.clear();
        }
        chunk.putFloat(t.values()[t.offset() + i]);
      }
    }
    out.write(chunk.array(), 0, chunk.position());
  }
}
