// Dense network kernels: see dense.h. The arithmetic follows TensorFlow.js (tfjs-layers losses,
// tfjs-core optimisers) so the weights after a step match tfjs' own within float rounding.
#include "dense.h"

#include <cblas.h>

#include <algorithm>
#include <cmath>

namespace peephole {
namespace {

constexpr float kCrossentropyEpsilon = 1e-7f;  // tfjs-layers epsilon() used to clip probabilities

float* activationBlock(const DenseNet& net, float* scratch, int rows, int layer) {
  size_t offset = 0;
  for (int l = 0; l < layer; ++l) offset += static_cast<size_t>(rows) * net.sizes[l + 1];
  return scratch + offset;
}

// dL/dZ of layer `layer`, one block per layer so no member overwrites rows another still reads.
float* deltaBlock(const DenseNet& net, float* scratch, int rows, int layer) {
  return activationBlock(net, scratch, rows, net.layers) + (activationBlock(net, scratch, rows, layer) - scratch);
}

// z (rows x n) already holds x·W; adds the bias and applies the activation in one pass.
void biasActivation(float* z, const float* bias, int rows, int n, int32_t activation) {
  for (int r = 0; r < rows; ++r) {
    float* row = z + static_cast<size_t>(r) * n;
    switch (activation) {
      case kRelu:
        for (int j = 0; j < n; ++j) {
          const float v = row[j] + bias[j];
          row[j] = v > 0.0f ? v : 0.0f;
        }
        break;
      case kSigmoid:
        for (int j = 0; j < n; ++j) row[j] = 1.0f / (1.0f + std::exp(-(row[j] + bias[j])));
        break;
      case kSoftmax: {
        float top = -INFINITY;
        for (int j = 0; j < n; ++j) {
          row[j] += bias[j];
          top = std::max(top, row[j]);
        }
        float sum = 0.0f;
        for (int j = 0; j < n; ++j) {
          row[j] = std::exp(row[j] - top);
          sum += row[j];
        }
        const float inverse = 1.0f / sum;
        for (int j = 0; j < n; ++j) row[j] *= inverse;
        break;
      }
      default:
        for (int j = 0; j < n; ++j) row[j] += bias[j];
    }
  }
}

// g holds dL/dA for activations a; turns it into dL/dZ in place.
void activationBackward(float* g, const float* a, int rows, int n, int32_t activation) {
  const size_t count = static_cast<size_t>(rows) * n;
  switch (activation) {
    case kRelu:
      for (size_t i = 0; i < count; ++i) g[i] = a[i] > 0.0f ? g[i] : 0.0f;
      break;
    case kSigmoid:
      for (size_t i = 0; i < count; ++i) g[i] *= a[i] * (1.0f - a[i]);
      break;
    case kSoftmax:
      for (int r = 0; r < rows; ++r) {
        float* gr = g + static_cast<size_t>(r) * n;
        const float* ar = a + static_cast<size_t>(r) * n;
        float dot = 0.0f;
        for (int j = 0; j < n; ++j) dot += gr[j] * ar[j];
        for (int j = 0; j < n; ++j) gr[j] = ar[j] * (gr[j] - dot);
      }
      break;
    default:
      break;
  }
}

int argmax(const float* v, int n) {
  int best = 0;
  for (int j = 1; j < n; ++j)
    if (v[j] > v[best]) best = j;
  return best;
}

// dL/dZ of the output layer for `rows` rows of a batch of `batchRows` (the loss is the batch mean).
void outputGradientRows(const DenseNet& net, const float* a, const float* y, int rows, int batchRows, float* g) {
  const int n = net.sizes[net.layers];
  const size_t count = static_cast<size_t>(rows) * n;
  if (net.loss == kCategoricalCrossentropy) {
    // softmax + crossentropy: dL/dz = (p * sum(y) - y) / batchRows
    const float scale = 1.0f / batchRows;
    for (int r = 0; r < rows; ++r) {
      const float* yr = y + static_cast<size_t>(r) * n;
      float total = 0.0f;
      for (int j = 0; j < n; ++j) total += yr[j];
      const float* ar = a + static_cast<size_t>(r) * n;
      float* gr = g + static_cast<size_t>(r) * n;
      for (int j = 0; j < n; ++j) gr[j] = (ar[j] * total - yr[j]) * scale;
    }
    return;
  }
  const float scale = 2.0f / (static_cast<float>(n) * batchRows);
  for (size_t i = 0; i < count; ++i) g[i] = (a[i] - y[i]) * scale;
  activationBackward(g, a, rows, n, net.activations[net.layers - 1]);
}

// Sums of columns [c0, c1) of g (rows x n) into out[c0..c1).
void columnSums(const float* g, int rows, int n, int c0, int c1, float* out) {
  std::fill(out + c0, out + c1, 0.0f);
  for (int r = 0; r < rows; ++r) {
    const float* gr = g + static_cast<size_t>(r) * n;
    for (int j = c0; j < c1; ++j) out[j] += gr[j];
  }
}

void applyMomentum(float* w, const float* g, float* acc, size_t begin, size_t end, float lr, float momentum) {
  for (size_t i = begin; i < end; ++i) {
    acc[i] = momentum * acc[i] + g[i];
    w[i] -= lr * acc[i];
  }
}

void applyAdam(float* w, const float* g, float* m, float* v, size_t begin, size_t end, const DenseNet& net,
               float correction1, float correction2) {
  const float b1 = net.beta1, b2 = net.beta2, lr = net.learningRate, eps = net.epsilon;
  for (size_t i = begin; i < end; ++i) {
    m[i] = b1 * m[i] + (1.0f - b1) * g[i];
    v[i] = b2 * v[i] + (1.0f - b2) * g[i] * g[i];
    const float mHat = m[i] / correction1;
    const float vHat = v[i] / correction2;
    w[i] += -lr * (mHat / (std::sqrt(vHat) + eps));
  }
}

// Like shareOf, with boundaries on multiples of 16 floats (one cache line) so that members updating
// neighbouring columns of a kernel row never write the same cache line.
void shareColumns(int count, int index, int size, int* begin, int* end) {
  constexpr int kLineFloats = 16;
  const int lines = (count + kLineFloats - 1) / kLineFloats;
  shareOf(lines, index, size, begin, end);
  *begin = std::min(count, *begin * kLineFloats);
  *end = std::min(count, *end * kLineFloats);
}

}  // namespace

size_t denseScratchFloats(const DenseNet& net, int rows) {
  size_t total = 0;
  for (int l = 1; l <= net.layers; ++l) total += static_cast<size_t>(rows) * net.sizes[l];
  return 2 * total;
}

const float* denseForward(const DenseNet& net, const float* x, int rows, int begin, int end, float* scratch) {
  const float* input = x;
  const int count = end - begin;
  for (int l = 0; l < net.layers; ++l) {
    const int in = net.sizes[l], out = net.sizes[l + 1];
    float* z = activationBlock(net, scratch, rows, l);
    if (count > 0) {
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, count, out, in, 1.0f,
                  input + static_cast<size_t>(begin) * in, in, net.kernels[l], out, 0.0f,
                  z + static_cast<size_t>(begin) * out, out);
      biasActivation(z + static_cast<size_t>(begin) * out, net.biases[l], count, out, net.activations[l]);
    }
    input = z;
  }
  return input;
}

void denseScore(const DenseNet& net, const float* out, const float* y, int rows, BatchStats* stats) {
  const int n = net.sizes[net.layers];
  double lossSum = 0, correct = 0;
  for (int r = 0; r < rows; ++r) {
    const float* ar = out + static_cast<size_t>(r) * n;
    const float* yr = y + static_cast<size_t>(r) * n;
    double rowLoss = 0;
    if (net.loss == kCategoricalCrossentropy) {
      for (int j = 0; j < n; ++j) {
        const float p = std::min(std::max(ar[j], kCrossentropyEpsilon), 1.0f - kCrossentropyEpsilon);
        rowLoss -= yr[j] * std::log(p);
      }
    } else {
      for (int j = 0; j < n; ++j) {
        const double d = static_cast<double>(ar[j]) - yr[j];
        rowLoss += d * d;
      }
      rowLoss /= n;
    }
    lossSum += rowLoss;
    if (argmax(ar, n) == argmax(yr, n)) correct += 1;
  }
  stats->lossSum += lossSum;
  stats->correct += correct;
}

void denseStep(DenseNet& net, const float* x, const float* y, int rows, float* scratch, bool update,
               float correction1, float correction2, BatchStats* stats, const Team& team) {
  const int last = net.layers - 1;
  const int outputs = net.sizes[net.layers];
  int r0, r1;
  shareOf(rows, team.index, team.size, &r0, &r1);
  const int ownRows = r1 - r0;
  const float* output = denseForward(net, x, rows, r0, r1, scratch);
  if (ownRows > 0) {
    const size_t at = static_cast<size_t>(r0) * outputs;
    if (stats != nullptr) denseScore(net, output + at, y + at, ownRows, stats);
    outputGradientRows(net, output + at, y + at, ownRows, rows, deltaBlock(net, scratch, rows, last) + at);
  }
  const bool fusedSgd = update && net.optimizer == kSgd;
  const float lr = net.learningRate;

  for (int l = last; l >= 0; --l) {
    const int in = net.sizes[l], out = net.sizes[l + 1];
    const float* input = l == 0 ? x : activationBlock(net, scratch, rows, l - 1);
    const float* g = deltaBlock(net, scratch, rows, l);
    float* w = net.kernels[l];
    float* b = net.biases[l];
    // This member's rows of the gradient for the layer below, with this layer's kernel before its update.
    if (l > 0 && ownRows > 0) {
      float* gPrevious = deltaBlock(net, scratch, rows, l - 1);
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, ownRows, in, out, 1.0f,
                  g + static_cast<size_t>(r0) * out, out, w, out, 0.0f,
                  gPrevious + static_cast<size_t>(r0) * in, in);
      activationBackward(gPrevious + static_cast<size_t>(r0) * in, input + static_cast<size_t>(r0) * in,
                         ownRows, in, net.activations[l - 1]);
    }
    team.wait();  // every row of g is written and nobody reads w any more: update it
    int c0, c1;
    shareColumns(out, team.index, team.size, &c0, &c1);
    const int ownColumns = c1 - c0;
    if (ownColumns <= 0) continue;
    float* gb = net.gradBiases[l];
    columnSums(g, rows, out, c0, c1, gb);
    if (fusedSgd) {
      // w = (1 - 2·lr·l2)·w - lr·inputᵀg in one sgemm; b -= lr·colsum(g).
      cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, in, ownColumns, rows, -lr, input, in, g + c0, out,
                  1.0f - 2.0f * lr * net.l2, w + c0, out);
      for (int j = c0; j < c1; ++j) b[j] -= lr * gb[j];
      continue;
    }
    float* gw = net.gradKernels[l];
    if (net.l2 != 0.0f) {
      const float twiceL2 = 2.0f * net.l2;
      for (int i = 0; i < in; ++i)
        for (int j = c0; j < c1; ++j) gw[static_cast<size_t>(i) * out + j] = twiceL2 * w[static_cast<size_t>(i) * out + j];
    }
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, in, ownColumns, rows, 1.0f, input, in, g + c0, out,
                net.l2 != 0.0f ? 1.0f : 0.0f, gw + c0, out);
    if (!update) continue;
    for (int i = 0; i < in; ++i) {
      const size_t begin = static_cast<size_t>(i) * out + c0, end = static_cast<size_t>(i) * out + c1;
      if (net.optimizer == kMomentum) applyMomentum(w, gw, net.slot1Kernels[l], begin, end, lr, net.momentum);
      else applyAdam(w, gw, net.slot1Kernels[l], net.slot2Kernels[l], begin, end, net, correction1, correction2);
    }
    if (net.optimizer == kMomentum) applyMomentum(b, gb, net.slot1Biases[l], c0, c1, lr, net.momentum);
    else applyAdam(b, gb, net.slot1Biases[l], net.slot2Biases[l], c0, c1, net, correction1, correction2);
  }
  team.wait();  // all updates done before anyone reads the weights again
}

}  // namespace peephole
