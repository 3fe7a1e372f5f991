package dev.ludus.supervised;

/**
 * A classifier measured on a dataset in inference mode: mean softmax cross-entropy, accuracy, and the
 * confusion matrix behind the accuracy.
 */
public record Evaluation(double loss, double accuracy, ConfusionMatrix confusion) {
}
