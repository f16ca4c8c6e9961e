package dev.sequor.api;

import static org.junit.jupiter.api.Assertions.*;

import dev.sequor.model.RecurrentSpec;
import dev.sequor.sample.SamplingOptions;
import dev.sequor.train.TrainResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's embedding example, verbatim between the markers (only the two paths are the test's). */
class ReadmeExampleTest {
  @Test
  void theReadmeExampleRuns(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("input.txt"), "To be, or not to be, that is the question.\n".repeat(40));
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    System.setOut(new PrintStream(printed, true));
    try {
      Path input = dir.resolve("input.txt"), checkpoint = dir.resolve("runs/example.safetensors");
      // --- README example begins ---
      String text = Files.readString(input);

      // Train a small LSTM: the arch's defaults, changed where needed; saved as it goes.
      TrainResult run = Sequor.training("lstm", text)
          .model(new RecurrentSpec("lstm", "tanh", 32, 64, 1))
          .configure(c -> c.steps(40).batch(8).seq(32).lr(1e-2))
          .saveTo(checkpoint)
          .run();
      System.out.println("validation loss " + run.validation().loss());

      // Load it (or any checkpoint, e.g. exported from PyTorch), evaluate, sample, stream.
      CharModel model = Sequor.load(checkpoint);
      System.out.println("bits per character " + model.evaluate(text).bpc());
      model.sample("To be", 100, new SamplingOptions(0.8, 40, 0.95, 42), System.out::print);
      String greedy = model.stream("To be", SamplingOptions.greedy()).limit(50).collect(Collectors.joining());
      // --- README example ends ---
      assertEquals(50, greedy.length());
      assertTrue(run.validation().loss() < Math.log(model.vocabulary().size()));
    } finally {
      System.setOut(stdout);
    }
    String out = printed.toString();
    assertTrue(out.startsWith("validation loss "), out);
    assertTrue(out.contains("bits per character "), out);
  }

  /** The code between the markers above is the README's embedding example, line for line. */
  @Test
  void theReadmeShowsThisCode() throws Exception {
    Path source = Path.of("src/test/java/dev/sequor/api/ReadmeExampleTest.java");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(source) && Files.exists(Path.of("README.md")),
        "run from the project directory");
    java.util.List<String> lines = Files.readAllLines(source);
    int begin = lines.indexOf("      // --- README example begins ---"), end = lines.indexOf("      // --- README example ends ---");
    assertTrue(begin >= 0 && end > begin, "markers not found");
    String example = lines.subList(begin + 1, end).stream()
        .map(l -> l.length() >= 6 ? l.substring(6) : l.strip()).collect(Collectors.joining("\n"));
    String readme = Files.readString(Path.of("README.md"));
    assertTrue(readme.contains("```java\n" + example + "\n```"), "README's example differs from this test's:\n" + example);
  }
}
