package dev.sequor.train;

import dev.sequor.io.AtomicFiles;
import dev.sequor.io.CheckpointFormatException;
import dev.sequor.io.SafeTensor;
import dev.sequor.io.Safetensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The resume sidecar of a checkpoint {@code X.safetensors}: {@code X.optim.safetensors}, itself a
 * safetensors file, so the model file stays exactly what PyTorch loads. Its metadata holds the
 * step reached, the training config, the optimizer's name and step count, and CRC-32s of the model
 * file and the training text (a sidecar is only used with the model file it was saved with);
 * its tensors are the optimizer's flat state arrays (e.g. {@code exp_avg}, {@code exp_avg_sq}).
 */
public record TrainState(
    // optimizer steps completed: the run resumes at this step index
    long step,
    // the run's configuration
    TrainConfig config,
    // "adamw", "adam" or "sgd"
    String optimizer,
    // updates the optimizer has taken (bias corrections)
    long optimizerSteps,
    // the optimizer's state arrays by name
    Map<String, float[]> optimizerState,
    // CRC-32 of the model file saved alongside
    long modelCrc,
    // CRC-32 of the training text's tokens
    long dataCrc) {

  public static final String FORMAT = "sequor-train-state/1";

  /** {@code runs/x.safetensors} → {@code runs/x.optim.safetensors}. */
  public static Path sidecarOf(Path checkpoint) {
    String name = checkpoint.getFileName().toString();
    String base = name.endsWith(".safetensors") ? name.substring(0, name.length() - ".safetensors".length()) : name;
    return checkpoint.resolveSibling(base + ".optim.safetensors");
  }

  /** Writes the sidecar atomically. */
  public void save(Path sidecar) throws IOException {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("format", FORMAT);
    meta.put("step", Long.toString(step));
    meta.put("train_config", config.toJson());
    meta.put("optimizer", optimizer);
    meta.put("optimizer_steps", Long.toString(optimizerSteps));
    meta.put("model_crc32", Long.toHexString(modelCrc));
    meta.put("data_crc32", Long.toHexString(dataCrc));
    List<Safetensors.F32Tensor> tensors = new ArrayList<>();
    for (var e : optimizerState.entrySet()) tensors.add(new Safetensors.F32Tensor(e.getKey(), new int[] {e.getValue().length}, e.getValue(), 0));
    AtomicFiles.write(sidecar, out -> Safetensors.write(out, meta, tensors));
  }

  /** Reads a sidecar; a defect is a {@link CheckpointFormatException} naming the file. */
  public static TrainState load(Path sidecar) throws IOException {
    Safetensors.Contents c = Safetensors.read(sidecar);
    Map<String, String> m = c.metadata();
    try {
      if (!FORMAT.equals(m.get("format"))) throw new IllegalArgumentException("not a Sequor training-state file (format " + m.get("format") + ")");
      Map<String, float[]> state = new LinkedHashMap<>();
      for (SafeTensor t : c.tensors().values()) state.put(t.name(), t.toFloats());
      return new TrainState(Long.parseLong(req(m, "step")), TrainConfig.fromJson(req(m, "train_config")), req(m, "optimizer"),
          Long.parseLong(req(m, "optimizer_steps")), state, Long.parseLong(req(m, "model_crc32"), 16),
          Long.parseLong(req(m, "data_crc32"), 16));
    } catch (IllegalArgumentException e) {
      throw new CheckpointFormatException(sidecar + ": " + e.getMessage(), e);
    }
  }

  private static String req(Map<String, String> m, String k) {
    String v = m.get(k);
    if (v == null) throw new IllegalArgumentException("__metadata__ is missing " + k);
    return v;
  }
}
