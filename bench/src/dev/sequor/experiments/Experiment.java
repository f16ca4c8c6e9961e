package dev.sequor.experiments;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * One experiment behind a claim of {@code notes/}: it computes its tables and figures and returns
 * them; {@link Main} prints and saves. Everything it reports except wall-clock timings is a function
 * of its fixed seeds (the kernels do not depend on the thread count), so a re-run gives the same
 * numbers.
 */
public interface Experiment {
  /** The name given to {@link Main}, e.g. "delay". */
  String name();

  /** One line: what is measured. */
  String summary();

  Result run(Context ctx) throws Exception;

  /**
   * How to run.
   *
   * @param quick    a smoke version of about a minute (smaller budgets; its numbers are not the notes')
   * @param data     the text corpus for experiments that need one, or null
   * @param progress where to report progress (stderr), never the results
   */
  record Context(boolean quick, Path data, Consumer<String> progress) {}
}
