package dev.sequor.io;

import static org.junit.jupiter.api.Assertions.*;

import dev.sequor.model.Vocabulary;
import dev.sequor.testing.TinyRnnLm;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
  static Checkpoint tiny(String text, int hidden, long seed) {
    Vocabulary v = Vocabulary.of(text);
    TinyRnnLm.Spec spec = new TinyRnnLm.Spec(hidden);
    return new Checkpoint(spec, v, TinyRnnLm.FACTORY.create(spec, v.size(), 0f, new SplittableRandom(seed)));
  }

  static byte[] bytes(Checkpoint c) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    c.writeTo(out);
    return out.toByteArray();
  }

  /** A checkpoint file with the given metadata and tensors (name → shape), zero-filled. */
  static byte[] custom(Map<String, String> meta, Map<String, int[]> shapes) throws IOException {
    List<Safetensors.F32Tensor> ts = new ArrayList<>();
    for (var e : shapes.entrySet()) {
      int n = 1;
      for (int d : e.getValue()) n *= d;
      ts.add(new Safetensors.F32Tensor(e.getKey(), e.getValue(), new float[n], 0));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Safetensors.write(out, meta, ts);
    return out.toByteArray();
  }

  static String reject(byte[] file) {
    return assertThrows(CheckpointFormatException.class,
        () -> Checkpoint.read(ByteBuffer.wrap(file), "ck.safetensors", TinyRnnLm.FACTORY)).getMessage();
  }

  @Test
  void roundTripsWeightsVocabularyAndConfig(@TempDir Path dir) throws IOException {
    Checkpoint c = tiny("hello wörld 𝄞\n", 5, 1);
    Path p = dir.resolve("sub/m.safetensors");
    c.save(p);
    Checkpoint back = Checkpoint.load(p, TinyRnnLm.FACTORY);
    assertEquals(c.vocab(), back.vocab());
    assertEquals("tiny", back.model().arch());
    assertEquals(c.spec(), back.spec());
    assertArrayEquals(c.model().params().value, back.model().params().value);
    Safetensors.Contents raw = Safetensors.read(p);
    assertEquals(List.of("arch", "vocab", "config"), new ArrayList<>(raw.metadata().keySet()));
    assertEquals("{\"hidden\":5}", raw.metadata().get("config"));
    assertEquals(DType.F32, raw.tensors().get("embed.weight").dtype());
  }

  @Test
  void loadsBf16Tensors() throws IOException {
    Checkpoint c = tiny("abcabc", 3, 2);
    Map<String, String> meta = c.metadata();
    // rewrite every tensor as BF16 by truncating its F32 values
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("__metadata__", new LinkedHashMap<>(meta));
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    var store = c.model().params();
    long off = 0;
    for (var t : store.tensors()) {
      header.put(t.name(), Map.of("dtype", "BF16", "shape", java.util.Arrays.stream(t.shape()).boxed().toList(), "data_offsets", List.of(off, off + 2L * t.size())));
      for (int i = 0; i < t.size(); i++) {
        int bits = Float.floatToRawIntBits(store.value[t.offset() + i]) >>> 16;
        data.write(bits & 0xff);
        data.write(bits >>> 8);
      }
      off += 2L * t.size();
    }
    byte[] h = Json.write(header).getBytes(StandardCharsets.UTF_8);
    ByteBuffer f = ByteBuffer.allocate(8 + h.length + data.size()).order(ByteOrder.LITTLE_ENDIAN);
    f.putLong(h.length).put(h).put(data.toByteArray()).flip();
    Checkpoint back = Checkpoint.read(f, "bf16", TinyRnnLm.FACTORY);
    for (int i = 0; i < store.size(); i++) {
      float want = Float.intBitsToFloat(Float.floatToRawIntBits(store.value[i]) & 0xffff0000);
      assertEquals(want, back.model().params().value[i]);
    }
  }

  @Test
  void rejectsMissingMetadataAndBadConfigNamingThem() throws IOException {
    Map<String, int[]> shapes = new TinyRnnLm.Spec(2).tensorShapes(3);
    assertTrue(reject(custom(Map.of("arch", "tiny"), shapes)).contains("missing vocab, config"));
    assertTrue(reject(custom(Map.of("arch", "tiny", "vocab", "abc", "config", "{}"), shapes)).contains("missing required field hidden"));
    assertTrue(reject(custom(Map.of("arch", "tiny", "vocab", "abc", "config", "{not json"), shapes)).startsWith("ck.safetensors: "));
    assertTrue(reject(custom(Map.of("arch", "nope", "vocab", "abc", "config", "{\"hidden\":2}"), shapes)).contains("unknown arch 'nope'"));
    assertTrue(reject(custom(Map.of("arch", "tiny", "vocab", "aba", "config", "{\"hidden\":2}"), shapes)).contains("repeats 'a'"));
    assertTrue(reject(custom(Map.of("arch", "tiny", "vocab", "", "config", "{\"hidden\":2}"), shapes)).contains("empty"));
  }

  @Test
  void rejectsMissingUnexpectedAndMisshapenTensors() throws IOException {
    Map<String, String> meta = Map.of("arch", "tiny", "vocab", "abc", "config", "{\"hidden\":2}");
    LinkedHashMap<String, int[]> shapes = new TinyRnnLm.Spec(2).tensorShapes(3);
    assertDoesNotThrow(() -> Checkpoint.read(ByteBuffer.wrap(custom(meta, shapes)), "ok", TinyRnnLm.FACTORY));

    LinkedHashMap<String, int[]> missing = new LinkedHashMap<>(shapes);
    missing.remove("head.bias");
    assertTrue(reject(custom(meta, missing)).contains("missing tensor 'head.bias' [3]"));

    LinkedHashMap<String, int[]> extra = new LinkedHashMap<>(shapes);
    extra.put("lm_head.weight", new int[] {3, 2});
    assertTrue(reject(custom(meta, extra)).contains("unexpected tensor 'lm_head.weight'"));

    LinkedHashMap<String, int[]> wrong = new LinkedHashMap<>(shapes);
    wrong.put("rnn.weight_hh_l0", new int[] {2, 3});
    assertTrue(reject(custom(meta, wrong)).contains("tensor 'rnn.weight_hh_l0' has shape [2, 3] but the config needs [2, 2]"));

    // vocabulary size disagrees with the embedding
    Map<String, String> bigVocab = Map.of("arch", "tiny", "vocab", "abcd", "config", "{\"hidden\":2}");
    assertTrue(reject(custom(bigVocab, shapes)).contains("'embed.weight' has shape [3, 2] but the config needs [4, 2]"));
  }

  @Test
  void failedSaveLeavesThePreviousFileIntact(@TempDir Path dir) throws IOException {
    Path p = dir.resolve("m.safetensors");
    Checkpoint good = tiny("abcdef", 4, 3);
    good.save(p);
    byte[] before = Files.readAllBytes(p);
    IOException crash = assertThrows(IOException.class, () -> AtomicFiles.write(p, out -> {
      out.write(new byte[100_000]);
      throw new IOException("disk pulled out mid-save");
    }));
    assertEquals("disk pulled out mid-save", crash.getMessage());
    assertArrayEquals(before, Files.readAllBytes(p));
    try (var files = Files.list(dir)) {
      assertEquals(List.of(p), files.toList(), "no temporary file left behind");
    }
  }
}
