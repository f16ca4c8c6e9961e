package dev.sequor.eval;

/** Mean cross-entropy of a model on a text: nats and bits per character, and how many predictions. */
public record Evaluation(
    // mean −ln p(next char), nats per character
    double loss,
    // the same in bits per character: loss / ln 2
    double bpc,
    // number of predictions averaged
    long chars) {

  static Evaluation of(double lossSum, long chars) {
    double mean = lossSum / chars;
    return new Evaluation(mean, mean / Math.log(2), chars);
  }
}
