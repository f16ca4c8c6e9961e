package dev.sequor.train;

import dev.sequor.eval.Evaluation;
import dev.sequor.io.Checkpoint;
import java.nio.file.Path;

/** The outcome of {@link Trainer#run}. */
public record TrainResult(
    // the trained model with its vocabulary (live: the trainer's own model)
    Checkpoint checkpoint,
    // steps completed
    long step,
    // true when the run reached its last step (false when a listener stopped it)
    boolean completed,
    // the last step's training loss
    double lastLoss,
    // validation on the whole held-out split (null when not completed)
    Evaluation validation,
    // training throughput of this session, tokens per second
    double tokensPerSecond,
    // seconds of training in this session
    double seconds,
    // where the last checkpoint was written (null when not saving)
    Path savedTo) {}
