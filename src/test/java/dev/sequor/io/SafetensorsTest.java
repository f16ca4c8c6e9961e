package dev.sequor.io;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SafetensorsTest {
  static byte[] sample() throws IOException {
    float[] a = {1f, -2f, 3.5f, 0f, 1e-30f, -0f};
    float[] b = {7f, 8f};
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Safetensors.write(out, Map.of("k", "v"), List.of(
        new Safetensors.F32Tensor("a", new int[] {2, 3}, a, 0),
        new Safetensors.F32Tensor("b", new int[] {2}, b, 0)));
    return out.toByteArray();
  }

  /** A file from a header written by hand and raw data. */
  static byte[] file(String header, byte[] data) {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer buf = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    buf.putLong(h.length).put(h).put(data);
    return buf.array();
  }

  static String reject(byte[] bytes) {
    return assertThrows(CheckpointFormatException.class, () -> Safetensors.read(ByteBuffer.wrap(bytes), "f.safetensors")).getMessage();
  }

  @Test
  void roundTripsF32WithMetadataAndAlignedHeader() throws IOException {
    byte[] bytes = sample();
    long headerLen = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertEquals(0, headerLen % 8, "header padded to 8 bytes");
    Safetensors.Contents c = Safetensors.read(ByteBuffer.wrap(bytes), "x");
    assertEquals(Map.of("k", "v"), c.metadata());
    assertArrayEquals(new float[] {1f, -2f, 3.5f, 0f, 1e-30f, -0f}, c.tensors().get("a").toFloats());
    assertArrayEquals(new int[] {2, 3}, c.tensors().get("a").shape());
    assertArrayEquals(new float[] {7f, 8f}, c.tensors().get("b").toFloats());
  }

  @Test
  void readsBf16ByWidening() {
    // bf16 of 1.0 is 0x3F80, of -2.5 is 0xC020
    byte[] data = {(byte) 0x80, 0x3F, 0x20, (byte) 0xC0};
    byte[] f = file("{\"t\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}", data);
    assertArrayEquals(new float[] {1f, -2.5f}, Safetensors.read(ByteBuffer.wrap(f), "x").tensors().get("t").toFloats());
  }

  @Test
  void rejectsHeaderLengthsBeyondTheFileOrTheLimit() {
    byte[] f = file("{}", new byte[0]);
    ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1000);
    assertTrue(reject(f).contains("beyond the end of the file"));
    ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 200_000_000L);
    assertTrue(reject(f).contains("over the limit"));
    ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).putLong(0, -1L);
    assertTrue(reject(f).contains("over the limit"));
    assertTrue(reject(new byte[5]).contains("too short"));
    String m = reject(new byte[5]);
    assertTrue(m.startsWith("f.safetensors: "), m);
  }

  @Test
  void rejectsMalformedHeaders() {
    assertTrue(reject(file("{\"a\":", new byte[0])).contains("not valid JSON"));
    assertTrue(reject(file("[1,2]", new byte[0])).contains("not valid JSON"));
    assertTrue(reject(file("{\"__metadata__\":{\"a\":1}}", new byte[0])).contains("must be a string"));
    assertTrue(reject(file("{\"t\":5}", new byte[0])).contains("entry must be an object"));
    byte[] bad = file("{\"t\":\"\u00e9\"}", new byte[0]);
    bad[14] = (byte) 0xFF; // break the UTF-8
    assertTrue(reject(bad).contains("UTF-8"));
  }

  @Test
  void rejectsDtypesItCannotLoad() {
    assertTrue(reject(file("{\"t\":{\"dtype\":\"Q7\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4])).contains("unknown dtype 'Q7'"));
    assertTrue(reject(file("{\"t\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}", new byte[4])).contains("not supported"));
  }

  @Test
  void rejectsBadOffsetsAndSizes() {
    String one = "\"dtype\":\"F32\",\"shape\":[1]";
    assertTrue(reject(file("{\"t\":{" + one + ",\"data_offsets\":[0,8]}}", new byte[4])).contains("beyond the data section"));
    assertTrue(reject(file("{\"t\":{" + one + ",\"data_offsets\":[4,0]}}", new byte[4])).contains("increasing pair"));
    assertTrue(reject(file("{\"t\":{" + one + ",\"data_offsets\":[0]}}", new byte[4])).contains("data_offsets"));
    assertTrue(reject(file("{\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", new byte[4])).contains("needs 8 bytes"));
    assertTrue(reject(file("{\"t\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", new byte[4])).contains("shape"));
    String overflow = reject(file("{\"t\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647,2147483647],\"data_offsets\":[0,4]}}", new byte[4]));
    assertTrue(overflow.contains("more than the file holds"), overflow);
    // overlap, gap, and bytes left over
    String two = "{\"a\":{" + one + ",\"data_offsets\":[0,4]},\"b\":{" + one + ",\"data_offsets\":[%d,%d]}}";
    assertTrue(reject(file(String.format(two, 2, 6), new byte[8])).contains("overlaps"));
    assertTrue(reject(file(String.format(two, 6, 10), new byte[10])).contains("gap of 2 bytes"));
    assertTrue(reject(file(String.format(two, 4, 8), new byte[12])).contains("cover only [0, 8)"));
    assertDoesNotThrow(() -> Safetensors.read(ByteBuffer.wrap(file(String.format(two, 4, 8), new byte[8])), "x"));
  }

  @Test
  void writerRejectsReservedOrRepeatedNames() {
    float[] v = {1};
    assertThrows(IllegalArgumentException.class, () -> Safetensors.write(new ByteArrayOutputStream(), Map.of(),
        List.of(new Safetensors.F32Tensor("x", new int[] {1}, v, 0), new Safetensors.F32Tensor("x", new int[] {1}, v, 0))));
    assertThrows(IllegalArgumentException.class, () -> Safetensors.write(new ByteArrayOutputStream(), Map.of(),
        List.of(new Safetensors.F32Tensor("__metadata__", new int[] {1}, v, 0))));
  }
}
