package dev.sequor.io;

import static org.junit.jupiter.api.Assertions.*;

import dev.sequor.model.Models;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.*;

/**
 * Corrupted copies of real PyTorch-exported checkpoints (an LSTM and a tied GPT, the interop
 * fixtures) through the shipped architectures' factory: loading succeeds or throws
 * {@link CheckpointFormatException}, nothing else, quickly.
 */
class CorruptRealCheckpointProperties {
  static final byte[][] GOOD = {fixture("lstm.safetensors"), fixture("gpt_tied.safetensors")};

  static byte[] fixture(String name) {
    try (InputStream in = CorruptRealCheckpointProperties.class.getResourceAsStream("/dev/sequor/interop/" + name)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  static void loadOrReject(byte[] file) {
    long t0 = System.nanoTime();
    try {
      assertNotNull(Checkpoint.read(ByteBuffer.wrap(file), "fuzz", Models.STANDARD).model());
    } catch (CheckpointFormatException expected) {
      assertNotNull(expected.getMessage());
    }
    assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "loading a small corrupted file took over 2 s");
  }

  @Property(tries = 300)
  void headerTextMutations(@ForAll boolean gpt, @ForAll("positions") int at, @ForAll("positions") int span,
      @ForAll("replacements") String replacement, @ForAll boolean keepLength) {
    byte[] good = GOOD[gpt ? 1 : 0];
    int headerEnd = 8 + (int) ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).getLong();
    String header = new String(good, 8, headerEnd - 8, StandardCharsets.UTF_8);
    int start = at % header.length();
    int end = Math.min(header.length(), start + 1 + span % 6);
    byte[] h = (header.substring(0, start) + replacement + header.substring(end)).getBytes(StandardCharsets.UTF_8);
    ByteBuffer f = ByteBuffer.allocate(8 + h.length + good.length - headerEnd).order(ByteOrder.LITTLE_ENDIAN);
    f.putLong(keepLength ? headerEnd - 8 : h.length).put(h).put(good, headerEnd, good.length - headerEnd);
    loadOrReject(f.array());
  }

  @Property(tries = 300)
  void byteFlipsAndTruncations(@ForAll boolean gpt, @ForAll("positions") int at, @ForAll byte value, @ForAll("positions") int cut) {
    byte[] f = GOOD[gpt ? 1 : 0].clone();
    f[at % f.length] = value;
    loadOrReject(cut % 4 == 0 ? java.util.Arrays.copyOf(f, cut % f.length) : f);
  }

  @Provide
  Arbitrary<Integer> positions() { return Arbitraries.integers().between(0, Integer.MAX_VALUE); }

  @Provide
  Arbitrary<String> replacements() {
    return Arbitraries.oneOf(
        Arbitraries.of("", "0", "1", "-1", "2", "3", "16", "1000000", "2147483647", "true", "false", "null", "\"F16\"", "\"BF16\"",
            "\\\"layers\\\":100000000", "\\\"context\\\":0", "\\\"heads\\\":3", "\\\"tied\\\":false", "\\\"bias\\\":true", "\"gpt\"",
            "\"lstm\"", "\"rnn\"", "\"gru\"", ",", "}", "]", "\""),
        Arbitraries.strings().ofMaxLength(4));
  }
}
