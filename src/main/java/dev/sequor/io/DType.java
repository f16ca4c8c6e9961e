package dev.sequor.io;

/** The safetensors element types Sequor reads: F32 (also the one it writes) and BF16. */
public enum DType {
  F32(4),
  BF16(2);

  /** Bytes per element. */
  public final int bytes;

  DType(int bytes) { this.bytes = bytes; }

  /** Dtype names of the safetensors format that Sequor knows but does not load. */
  static final java.util.Set<String> KNOWN_UNSUPPORTED = java.util.Set.of(
      "BOOL", "U8", "I8", "I16", "U16", "F16", "I32", "U32", "F64", "I64", "U64",
      "F8_E4M3", "F8_E5M2", "F8_E8M0", "F4", "F6_E2M3", "F6_E3M2", "C64");

  /** The dtype called {@code name}, or a {@link CheckpointFormatException} naming the tensor. */
  static DType of(String name, String tensor) {
    for (DType d : values()) if (d.name().equals(name)) return d;
    if (KNOWN_UNSUPPORTED.contains(name))
      throw new CheckpointFormatException("tensor '" + tensor + "': dtype " + name + " is not supported (F32 or BF16 expected)");
    throw new CheckpointFormatException("tensor '" + tensor + "': unknown dtype '" + name + "'");
  }
}
