package dev.sequor.rnn;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the committed PyTorch fixtures written by tools/fixtures/rnn_fixtures.py. */
final class TorchFixtures {
  /** One case: its header fields and its tensors by name. */
  record Case(String name, Map<String, String> fields, Map<String, float[]> tensors, Map<String, int[]> shapes) {
    int integer(String key) { return Integer.parseInt(fields.get(key)); }

    boolean flag(String key) { return fields.get(key).equals("1"); }

    String text(String key) { return fields.get(key); }

    float[] tensor(String key) {
      float[] t = tensors.get(key);
      if (t == null) throw new IllegalArgumentException(name + ": no tensor " + key);
      return t;
    }

    boolean has(String key) { return tensors.containsKey(key); }

    int[] lengths() {
      String s = fields.get("lengths");
      if (s.equals("none")) return null;
      String[] parts = s.split(",");
      int[] out = new int[parts.length];
      for (int i = 0; i < parts.length; i++) out[i] = Integer.parseInt(parts[i]);
      return out;
    }

    RecurrentConfig config() {
      String nl = text("nonlinearity");
      return new RecurrentConfig(CellType.of(text("cell"), nl.equals("none") ? null : nl), integer("input"),
          integer("hidden"), integer("layers"), flag("bidirectional"), flag("bias"), 0f);
    }
  }

  private TorchFixtures() {}

  static List<Case> load() throws IOException {
    float[] blob;
    try (InputStream in = resource("rnn_fixtures.bin")) {
      byte[] bytes = in.readAllBytes();
      blob = new float[bytes.length / 4];
      ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(blob);
    }
    List<Case> cases = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(resource("rnn_fixtures.txt"), StandardCharsets.UTF_8))) {
      Case current = null;
      for (String line; (line = r.readLine()) != null; ) {
        if (line.startsWith("#") || line.isBlank()) continue;
        String[] tok = line.trim().split(" ");
        if (tok[0].equals("case")) {
          Map<String, String> fields = new LinkedHashMap<>();
          for (int i = 2; i < tok.length; i++) {
            int eq = tok[i].indexOf('=');
            fields.put(tok[i].substring(0, eq), tok[i].substring(eq + 1));
          }
          current = new Case(tok[1], fields, new LinkedHashMap<>(), new LinkedHashMap<>());
          cases.add(current);
        } else if (tok[0].equals("tensor")) {
          if (current == null || !current.name().equals(tok[1])) throw new IOException("tensor before its case: " + line);
          int off = Integer.parseInt(tok[3]);
          String[] dims = tok.length > 4 ? tok[4].split(",") : new String[0];
          int[] shape = new int[dims.length];
          int n = 1;
          for (int i = 0; i < dims.length; i++) n *= shape[i] = Integer.parseInt(dims[i]);
          float[] t = new float[n];
          System.arraycopy(blob, off, t, 0, n);
          current.tensors().put(tok[2], t);
          current.shapes().put(tok[2], shape);
        } else throw new IOException("unknown fixture line: " + line);
      }
    }
    return cases;
  }

  private static InputStream resource(String name) throws IOException {
    InputStream in = TorchFixtures.class.getResourceAsStream("/fixtures/rnn/" + name);
    if (in == null) throw new IOException("fixture /fixtures/rnn/" + name + " not on the test classpath");
    return in;
  }
}
