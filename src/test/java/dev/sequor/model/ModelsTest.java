package dev.sequor.model;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ModelsTest {
  static String error(String arch, String config) {
    return assertThrows(IllegalArgumentException.class, () -> Models.STANDARD.parse(arch, config)).getMessage();
  }

  @Test
  void parsesTheContractsConfigsIgnoringExtraFields() {
    assertEquals(new RecurrentSpec("lstm", "tanh", 64, 256, 2), Models.STANDARD.parse("lstm", "{\"embed\":64,\"hidden\":256,\"layers\":2,\"note\":\"x\"}"));
    assertEquals(new RecurrentSpec("rnn", "relu", 8, 16, 1), Models.STANDARD.parse("rnn", "{\"embed\":8,\"hidden\":16,\"layers\":1,\"nonlinearity\":\"relu\"}"));
    assertEquals(new GptSpec(128, 4, 4, 64, false, true),
        Models.STANDARD.parse("gpt", "{\"d_model\":128,\"heads\":4,\"layers\":4,\"context\":64,\"bias\":false,\"tied\":true,\"dropout\":0.2}"));
    for (ModelSpec s : List.of(new RecurrentSpec("gru", "tanh", 3, 5, 2), new RecurrentSpec("rnn", "relu", 3, 5, 2), new GptSpec(8, 2, 3, 16, true, false)))
      assertEquals(s, Models.STANDARD.parse(s.arch(), s.configJson()));
  }

  @Test
  void namesMissingFieldsAndBadValues() {
    assertEquals("config of gpt is missing required fields heads, tied", error("gpt", "{\"d_model\":8,\"layers\":1,\"context\":4,\"bias\":true}"));
    assertEquals("config of rnn is missing required field nonlinearity", error("rnn", "{\"embed\":8,\"hidden\":16,\"layers\":1}"));
    assertTrue(error("lstm", "{\"embed\":8,\"hidden\":\"big\",\"layers\":1}").contains("\"hidden\" must be a positive integer, got \"big\""));
    assertTrue(error("lstm", "{\"embed\":8,\"hidden\":0,\"layers\":1}").contains("\"hidden\" must be a positive integer, got 0"));
    assertTrue(error("gpt", "{\"d_model\":10,\"heads\":4,\"layers\":1,\"context\":4,\"bias\":true,\"tied\":1}").contains("\"tied\" must be true or false"));
    assertTrue(error("gpt", "{\"d_model\":10,\"heads\":4,\"layers\":1,\"context\":4,\"bias\":true,\"tied\":true}").contains("heads 4 must divide d_model 10"));
    assertTrue(error("rnn", "{\"embed\":8,\"hidden\":16,\"layers\":1,\"nonlinearity\":\"sigmoid\"}").contains("tanh or relu"));
    assertTrue(error("transformer", "{}").contains("unknown arch 'transformer'"));
    assertTrue(error("lstm", "[1]").contains("not a JSON object"));
  }

  @Test
  void recurrentTensorsArePyTorchs() {
    var m = new RecurrentSpec("lstm", "tanh", 5, 7, 2).tensorShapes(11);
    assertEquals(List.of("embed.weight", "rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0", "rnn.weight_ih_l1",
        "rnn.weight_hh_l1", "rnn.bias_ih_l1", "rnn.bias_hh_l1", "head.weight", "head.bias"), List.copyOf(m.keySet()));
    assertArrayEquals(new int[] {28, 5}, m.get("rnn.weight_ih_l0"));
    assertArrayEquals(new int[] {28, 7}, m.get("rnn.weight_ih_l1"));
    assertArrayEquals(new int[] {21}, new RecurrentSpec("gru", "tanh", 5, 7, 1).tensorShapes(3).get("rnn.bias_hh_l0"));
  }

  @Test
  void gptTensorsAreNanoGpts() {
    var m = new GptSpec(8, 2, 1, 16, false, true).tensorShapes(5);
    assertEquals(List.of("transformer.wte.weight", "transformer.wpe.weight", "transformer.h.0.ln_1.weight", "transformer.h.0.attn.c_attn.weight",
        "transformer.h.0.attn.c_proj.weight", "transformer.h.0.ln_2.weight", "transformer.h.0.mlp.c_fc.weight", "transformer.h.0.mlp.c_proj.weight",
        "transformer.ln_f.weight"), List.copyOf(m.keySet()));
    var b = new GptSpec(8, 2, 1, 16, true, false).tensorShapes(5);
    assertArrayEquals(new int[] {24}, b.get("transformer.h.0.attn.c_attn.bias"));
    assertArrayEquals(new int[] {8, 32}, b.get("transformer.h.0.mlp.c_proj.weight"));
    assertArrayEquals(new int[] {5, 8}, b.get("lm_head.weight"));
  }

  @Property(tries = 200)
  void tensorCountMatchesTheList(@ForAll @IntRange(min = 1, max = 6) int layers, @ForAll boolean bias, @ForAll boolean tied) {
    GptSpec g = new GptSpec(8, 2, layers, 4, bias, tied);
    assertEquals(g.tensorCount(), g.tensorShapes(3).size());
    RecurrentSpec r = new RecurrentSpec("gru", "tanh", 2, 3, layers);
    assertEquals(r.tensorCount(), r.tensorShapes(3).size());
  }
}
