package dev.sequor.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.sequor.io.Checkpoint;
import dev.sequor.model.RecurrentSpec;
import dev.sequor.testing.TinyRnnLm;
import dev.sequor.train.TextData;
import dev.sequor.train.TrainConfig;
import dev.sequor.train.TrainListener;
import dev.sequor.train.Trainer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The train, eval and sample commands end to end, on the test model (a one-layer tanh rnn). */
class CliTest {
  @TempDir static Path dir;
  static Path data;
  static String text;

  /** What one command run printed, and its exit code. */
  record Run(int code, String out, String err) {
    List<String> lines() { return out.lines().toList(); }

    String last() { return lines().get(lines().size() - 1); }
  }

  interface Command {
    int run(String[] args, PrintStream out, PrintStream err) throws Exception;
  }

  static Run run(Command c, String... args) throws Exception {
    ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
    int code = c.run(args, new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
    return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
  }

  static Run train(String... args) throws Exception { return run((a, o, e) -> TrainCommand.run(a, o, e, TinyRnnLm.FACTORY), args); }

  static Run eval(String... args) throws Exception { return run((a, o, e) -> EvalCommand.run(a, o, e, TinyRnnLm.FACTORY), args); }

  static Run sample(String... args) throws Exception { return run((a, o, e) -> SampleCommand.run(a, o, e, TinyRnnLm.FACTORY), args); }

  static String[] trainArgs(Path out, String... more) {
    List<String> a = new java.util.ArrayList<>(List.of("--arch", "rnn", "--layers", "1", "--embed", "6", "--hidden", "10", "--data",
        data.toString(), "--steps", "24", "--batch", "4", "--seq", "16", "--save-every", "12", "--eval-every", "10", "--log-every", "5",
        "--out", out.toString()));
    a.addAll(List.of(more));
    return a.toArray(String[]::new);
  }

  @BeforeAll
  static void writeText() throws IOException {
    StringBuilder sb = new StringBuilder();
    SplittableRandom r = new SplittableRandom(1);
    String[] words = {"to", "be", "or", "not", "that", "is", "the", "question", "whether"};
    while (sb.length() < 2500) sb.append(words[r.nextInt(words.length)]).append(r.nextInt(6) == 0 ? ",\n" : " ");
    text = sb.toString();
    data = dir.resolve("text.txt");
    Files.writeString(data, text);
  }

  static final Pattern PROGRESS = Pattern.compile("step +\\d+/24  loss \\d+\\.\\d{4}  lr \\d\\.\\d\\de-\\d\\d  \\S+ tok/s  \\d+:\\d\\d elapsed  ETA \\d+:\\d\\d");

  @Test
  void trainPrintsProgressSavesAndEndsWithValLoss() throws Exception {
    Path ck = dir.resolve("runs/a.safetensors");
    Run r = train(trainArgs(ck));
    assertEquals(0, r.code(), r.err());
    assertEquals("", r.err());
    assertTrue(r.last().matches("val_loss \\d+\\.\\d{4}"), r.last());
    assertTrue(r.out().contains("saved " + ck + " (step 12)") && r.out().contains("saved " + ck + " (step 24)"), r.out());
    assertTrue(r.out().contains("step 10  val "), r.out());
    long progress = r.lines().stream().filter(l -> PROGRESS.matcher(l).matches()).count();
    assertEquals(6, progress, r.out()); // steps 1, 5, 10, 15, 20, 24
    assertTrue(Files.exists(ck) && Files.exists(dir.resolve("runs/a.optim.safetensors")));
    // the same command gives the same result bit for bit
    Run again = train(trainArgs(dir.resolve("runs/b.safetensors")));
    assertEquals(r.last(), again.last());
    assertArrayEquals(Files.readAllBytes(ck), Files.readAllBytes(dir.resolve("runs/b.safetensors")));
  }

  @Test
  void resumeFinishesAStoppedRunExactly() throws Exception {
    Path straight = dir.resolve("s.safetensors"), stopped = dir.resolve("p.safetensors");
    Run full = train(trainArgs(straight));
    assertEquals(0, full.code(), full.err());
    // the same run, stopped after its step-12 checkpoint (as an interrupted process would be)
    Checkpoint ck = Checkpoint.load(straight, TinyRnnLm.FACTORY);
    TrainConfig cfg = dev.sequor.train.Recipes.config("rnn").toBuilder().steps(24).batch(4).seq(16).saveEvery(12).evalEvery(10).build();
    Trainer t = Trainer.start(ck.spec(), cfg, TextData.of(text), TinyRnnLm.FACTORY).saveTo(stopped);
    t.run(new TrainListener() {
      @Override
      public boolean step(Step s) { return s.step() < 12; }
    });
    Run rest = train("--resume", stopped.toString(), "--data", data.toString());
    assertEquals(0, rest.code(), rest.err());
    assertTrue(rest.out().startsWith("resuming rnn at step 12"), rest.out());
    assertEquals(full.last(), rest.last());
    assertArrayEquals(Files.readAllBytes(straight), Files.readAllBytes(stopped));
    Run mixed = train("--resume", stopped.toString(), "--lr", "0.1");
    assertEquals(2, mixed.code());
    assertTrue(mixed.err().contains("--lr cannot be combined with --resume"), mixed.err());
  }

  @Test
  void evalPrintsLossBpcAndChars() throws Exception {
    Path ck = dir.resolve("e.safetensors");
    assertEquals(0, train(trainArgs(ck)).code());
    Run r = eval("--checkpoint", ck.toString(), "--data", data.toString());
    assertEquals(0, r.code(), r.err());
    var m = Pattern.compile("loss (\\d+\\.\\d{4}) bpc (\\d+\\.\\d{4}) chars (\\d+)").matcher(r.last());
    assertTrue(m.matches(), r.last());
    assertEquals(text.length() - 1, Long.parseLong(m.group(3)));
    assertEquals(Double.parseDouble(m.group(1)) / Math.log(2), Double.parseDouble(m.group(2)), 1e-3);
    assertEquals(1, r.lines().size(), "stdout holds only the result");

    Path odd = dir.resolve("odd.txt");
    Files.writeString(odd, "to be\nor z");
    Run oov = eval("--checkpoint", ck.toString(), "--data", odd.toString());
    assertEquals(1, oov.code());
    assertTrue(oov.err().contains("character 'z' (U+007A) at position 9 (line 2, column 4)"), oov.err());
  }

  @Test
  void sampleStreamsPromptAndTextToStdoutOnly() throws Exception {
    Path ck = dir.resolve("s2.safetensors");
    assertEquals(0, train(trainArgs(ck)).code());
    Run a = sample("--checkpoint", ck.toString(), "--prompt", "to be", "--tokens", "80", "--seed", "7");
    assertEquals(0, a.code(), a.err());
    assertTrue(a.out().startsWith("to be"));
    assertEquals(85, a.out().codePointCount(0, a.out().length()));
    assertTrue(a.err().contains("sampling 80 characters"));
    assertEquals(a.out(), sample("--checkpoint", ck.toString(), "--prompt", "to be", "--tokens", "80", "--seed", "7").out());
    assertNotEquals(a.out(), sample("--checkpoint", ck.toString(), "--prompt", "to be", "--tokens", "80", "--seed", "8").out());
    Run greedy = sample("--checkpoint", ck.toString(), "--prompt", "th", "--tokens", "40", "--temperature", "0", "--seed", "1");
    assertEquals(greedy.out(), sample("--checkpoint", ck.toString(), "--prompt", "th", "--tokens", "40", "--temperature", "0", "--seed", "2").out());
    Run bad = sample("--checkpoint", ck.toString(), "--prompt", "xyz");
    assertEquals(1, bad.code());
    assertEquals("", bad.out());
    assertTrue(bad.err().contains("'x' (U+0078) at position 0"), bad.err());
  }

  @Test
  void everyCommandHasHelp() throws Exception {
    for (Command c : List.<Command>of(TrainCommand::run, EvalCommand::run, SampleCommand::run)) {
      Run r = run(c, "--help");
      assertEquals(0, r.code());
      assertTrue(r.out().startsWith("usage: sequor "), r.out());
    }
    Run main = run(Main::run, "--help");
    assertTrue(main.out().contains("train") && main.out().contains("eval") && main.out().contains("sample") && main.out().contains("bench"));
    assertTrue(run(Main::run, "train", "--help").out().contains("--resume"));
  }

  @Test
  void wrongFlagsAndValuesGetOneLineAndExitCode2() throws Exception {
    Path missing = dir.resolve("nope.safetensors");
    List<Run> runs = List.of(
        train("--bogus", "1"),
        train("--steps", "many"),
        train("--steps"),
        train("--steps", "0"),
        train("--lr", "-1"),
        train("--arch", "lstm", "--heads", "4"),
        train("--arch", "gpt", "--seq", "32"),
        train("--arch", "gru", "--nonlinearity", "relu"),
        train("--arch", "transformer"),
        train("--data", missing.toString()),
        train("--optimizer", "lion"),
        train("--arch", "gpt", "--d-model", "30", "--heads", "4"),
        train("--steps", "3", "--steps", "4"),
        train("stray"),
        eval("--data", data.toString()),
        eval("--checkpoint", missing.toString(), "--data", data.toString()),
        sample(),
        sample("--checkpoint", data.toString(), "--top-p", "2"),
        sample("--checkpoint", data.toString(), "--temperature", "-1"),
        sample("--checkpoint", data.toString(), "--tokens", "x"),
        run(Main::run, "frobnicate"));
    for (Run r : runs) {
      assertEquals(2, r.code(), r.err());
      assertEquals("", r.out());
      assertEquals(1, r.err().lines().count(), r.err());
      assertTrue(r.err().startsWith("sequor"), r.err());
    }
  }

  @Test
  void aCorruptCheckpointIsAClearFailure() throws Exception {
    Path ck = dir.resolve("bad.safetensors");
    Files.write(ck, new byte[] {1, 2, 3});
    Run r = eval("--checkpoint", ck.toString(), "--data", data.toString());
    assertEquals(1, r.code());
    assertEquals("sequor eval: " + ck + ": file of 3 bytes is too short for the 8-byte header length", r.err().strip());
  }

  @Test
  void defaultsAreValidForEveryArch() {
    for (String arch : dev.sequor.model.Models.ARCHS) {
      var spec = dev.sequor.train.Recipes.spec(arch);
      var cfg = dev.sequor.train.Recipes.config(arch);
      assertEquals(arch, spec.arch());
      assertTrue(spec.blockLength() == 0 || cfg.seq() == spec.blockLength());
      assertEquals(spec, dev.sequor.model.Models.STANDARD.parse(arch, spec.configJson()));
      assertEquals(cfg, TrainConfig.fromJson(cfg.toJson()));
      if (spec instanceof RecurrentSpec) assertTrue(cfg.carry());
    }
  }
}
