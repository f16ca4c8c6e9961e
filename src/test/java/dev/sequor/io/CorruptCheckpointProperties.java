package dev.sequor.io;

import static org.junit.jupiter.api.Assertions.*;

import dev.sequor.testing.TinyRnnLm;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.*;

/**
 * Thousands of corrupted checkpoint files (byte flips, truncations, header length and header text
 * mutations): loading either succeeds or throws the documented {@link CheckpointFormatException};
 * never another exception, an OutOfMemoryError or a hang.
 */
class CorruptCheckpointProperties {
  static final byte[] GOOD;
  static final int HEADER_END;

  static {
    try {
      GOOD = CheckpointTest.bytes(CheckpointTest.tiny("the quick brown fox\n", 3, 7));
    } catch (IOException e) {
      throw new ExceptionInInitializerError(e);
    }
    HEADER_END = 8 + (int) ByteBuffer.wrap(GOOD).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }

  static void loadOrReject(byte[] file) {
    long t0 = System.nanoTime();
    try {
      Checkpoint c = Checkpoint.read(ByteBuffer.wrap(file), "fuzz", TinyRnnLm.FACTORY);
      assertNotNull(c.model());
    } catch (CheckpointFormatException expected) {
      assertNotNull(expected.getMessage());
    }
    assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "loading a small corrupted file took over 2 s");
  }

  @Property(tries = 1500)
  void byteFlipsAnywhere(@ForAll("positions") int[] positions, @ForAll("bytes") byte[] values) {
    byte[] f = GOOD.clone();
    for (int i = 0; i < positions.length; i++) f[positions[i] % f.length] = values[i % values.length];
    loadOrReject(f);
  }

  @Property(tries = 1500)
  void byteFlipsInTheHeader(@ForAll("positions") int[] positions, @ForAll("bytes") byte[] values) {
    byte[] f = GOOD.clone();
    for (int i = 0; i < positions.length; i++) f[positions[i] % HEADER_END] = values[i % values.length];
    loadOrReject(f);
  }

  @Property(tries = 500)
  void truncations(@ForAll("lengths") int length) {
    byte[] f = new byte[Math.min(length, GOOD.length)];
    System.arraycopy(GOOD, 0, f, 0, f.length);
    loadOrReject(f);
  }

  @Property(tries = 500)
  void headerLengths(@ForAll long headerLength) {
    byte[] f = GOOD.clone();
    ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).putLong(0, headerLength);
    loadOrReject(f);
  }

  /** Replaces one token of the header text (numbers, names, dtypes, punctuation) and re-frames the file. */
  @Property(tries = 2000)
  void headerTextMutations(@ForAll("positions") int[] at, @ForAll("replacements") String replacement, @ForAll boolean keepLength) {
    String header = new String(GOOD, 8, HEADER_END - 8, StandardCharsets.UTF_8);
    int start = at[0] % header.length();
    int end = Math.min(header.length(), start + 1 + at[at.length - 1] % 6);
    String mutated = header.substring(0, start) + replacement + header.substring(end);
    byte[] h = mutated.getBytes(StandardCharsets.UTF_8);
    byte[] data = java.util.Arrays.copyOfRange(GOOD, HEADER_END, GOOD.length);
    ByteBuffer f = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    f.putLong(keepLength ? HEADER_END - 8 : h.length).put(h).put(data);
    loadOrReject(f.array());
  }

  @Provide
  Arbitrary<int[]> positions() {
    return Arbitraries.integers().between(0, Integer.MAX_VALUE).array(int[].class).ofMinSize(1).ofMaxSize(8);
  }

  @Provide
  Arbitrary<byte[]> bytes() {
    return Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(8);
  }

  @Provide
  Arbitrary<Integer> lengths() {
    return Arbitraries.integers().between(0, GOOD.length);
  }

  @Provide
  Arbitrary<String> replacements() {
    return Arbitraries.oneOf(
        Arbitraries.of("", "0", "-1", "4294967296", "9223372036854775807", "99999999999999999999", "1e309", "2147483647",
            "\"F16\"", "\"BF16\"", "\"I64\"", "null", "[]", "{}", "[0,0]", "\"", "\\", ",", ":", "}", "]", "{\"a\":",
            "\"__metadata__\"", "\"hidden\\\":100000000", "\"hidden\\\":0", "\"tiny\"", "\"gpt\"", "\u00e9", "\ud834\udd1e"),
        Arbitraries.strings().ofMaxLength(6),
        Arbitraries.longs().map(String::valueOf));
  }
}
