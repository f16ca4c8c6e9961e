package dev.sequor.kernel;

/**
 * Process-wide engine switches, read once at class initialisation so the JIT folds them.
 *
 * <ul>
 *   <li>{@code -Dsequor.scalar=true} runs every kernel on its scalar reference twin (A/B runs, debugging).
 *   <li>{@code -Dsequor.threads=N} sizes the worker pool (default: available processors).
 * </ul>
 */
public final class Engine {
  /** True when every kernel must take its scalar reference path. */
  public static final boolean SCALAR = Boolean.getBoolean("sequor.scalar");

  private Engine() {}
}
