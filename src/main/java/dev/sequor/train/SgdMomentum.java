package dev.sequor.train;

import dev.sequor.tensor.ParamStore;
import dev.sequor.tensor.ParamTensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SGD with momentum, PyTorch's form (math/optimizers.md (SGD)): {@code d = g + wd·p} (L2, decaying
 * tensors only), {@code buf = μ·buf + d} (buf = d on the first step), {@code p ← p − lr·buf}.
 */
public final class SgdMomentum implements Optimizer {
  private final ParamStore params;
  private final float momentum, weightDecay;
  private final float[] buf;
  private final boolean[] decays;
  private long t;

  public SgdMomentum(ParamStore params, float momentum, float weightDecay) {
    if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
    if (!(weightDecay >= 0)) throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
    this.params = params;
    this.momentum = momentum;
    this.weightDecay = weightDecay;
    this.buf = new float[params.size()];
    this.decays = new boolean[params.size()];
    for (ParamTensor pt : params.tensors())
      java.util.Arrays.fill(decays, pt.offset(), pt.offset() + pt.size(), pt.decays());
  }

  @Override
  public String name() { return "sgd"; }

  @Override
  public long steps() { return t; }

  @Override
  public Map<String, float[]> state() {
    Map<String, float[]> s = new LinkedHashMap<>();
    s.put("momentum_buffer", buf);
    return s;
  }

  @Override
  public void restore(long steps, Map<String, float[]> state) {
    OptimizerState.copyInto(name(), state, "momentum_buffer", buf);
    t = steps;
  }

  @Override
  public void step(float lr) {
    float[] p = params.value, g = params.grad;
    boolean first = t == 0;
    for (int i = 0; i < p.length; i++) {
      float d = decays[i] && weightDecay != 0f ? g[i] + p[i] * weightDecay : g[i];
      float b = momentum == 0f ? d : first ? d : buf[i] * momentum + d;
      buf[i] = b;
      p[i] = p[i] + b * -lr;
    }
    t++;
  }
}
