// Dense multilayer network kernels over OpenBLAS sgemm: forward, loss, backward and optimiser
// update for one batch, on buffers owned by the caller (JavaScript Float32Arrays). No allocation
// happens here; the caller hands a scratch area large enough for the batch (see denseScratchFloats).
#pragma once
#include <cstddef>
#include <cstdint>

namespace peephole {

// Codes shared with src/model/native-addon.ts: keep in step.
enum Activation : int32_t { kLinear = 0, kRelu = 1, kSigmoid = 2, kSoftmax = 3 };
enum Loss : int32_t { kMeanSquaredError = 0, kCategoricalCrossentropy = 1 };
enum Optimizer : int32_t { kSgd = 0, kMomentum = 1, kAdam = 2 };

constexpr int kMaxLayers = 32;

struct DenseNet {
  int layers = 0;                 // number of Dense layers
  int32_t sizes[kMaxLayers + 1];  // sizes[0] = inputs, sizes[l + 1] = units of layer l
  int32_t activations[kMaxLayers];
  float* kernels[kMaxLayers];     // [in, out] row-major, as tfjs stores a Dense kernel
  float* biases[kMaxLayers];
  float* gradKernels[kMaxLayers]; // gradients (needed by Adam / momentum / gradient checks)
  float* gradBiases[kMaxLayers];
  float* slot1Kernels[kMaxLayers];  // momentum accumulation or Adam first moment
  float* slot1Biases[kMaxLayers];
  float* slot2Kernels[kMaxLayers];  // Adam second moment
  float* slot2Biases[kMaxLayers];
  int32_t loss = kMeanSquaredError;
  int32_t optimizer = kSgd;
  float learningRate = 0.01f;
  float momentum = 0.0f;
  float beta1 = 0.9f;
  float beta2 = 0.999f;
  float epsilon = 1e-7f;
  float l2 = 0.0f;                // Keras l2 kernel regulariser: loss += l2 * sum(kernel^2)
  double* adamPowers = nullptr;   // [beta1^t, beta2^t], advanced by each Adam step
};

struct BatchStats {
  double lossSum = 0;   // sum over rows of the per-row loss (without regularisation)
  double correct = 0;   // rows whose argmax(prediction) == argmax(target)
};

// The threads sharing one batch: thread `index` of `size` owns a slice of the batch's rows (forward
// pass, loss, input gradients) and a slice of every layer's output columns (weight gradients and
// updates); `barrier` separates the phases. A team of one runs everything on the calling thread.
struct Team {
  int index = 0;
  int size = 1;
  void (*barrier)(void* state) = nullptr;
  void* barrierState = nullptr;
  void wait() const {
    if (size > 1) barrier(barrierState);
  }
};

// [begin, end) of `count` items owned by member `index` of `size`.
inline void shareOf(int count, int index, int size, int* begin, int* end) {
  *begin = static_cast<int>(static_cast<long long>(count) * index / size);
  *end = static_cast<int>(static_cast<long long>(count) * (index + 1) / size);
}

// Floats of scratch needed for `rows` rows: one activation block and one delta block per layer.
size_t denseScratchFloats(const DenseNet& net, int rows);

// Forward pass of rows [begin, end) of a `rows`-row block of x (row-major, sizes[0] columns); returns
// the output block (inside scratch, rows x sizes[layers]; only rows [begin, end) written).
const float* denseForward(const DenseNet& net, const float* x, int rows, int begin, int end, float* scratch);

// One batch for one team member: forward, loss and backward on its rows, then either the optimiser
// update (update = true) or only the gradients (update = false) on its columns. Adam's bias
// corrections (1 - beta^t) are passed in. Accumulates the member's rows' loss and accuracy. Ends with
// every member's updates done (a barrier) so the next batch may read all weights.
void denseStep(DenseNet& net, const float* x, const float* y, int rows, float* scratch, bool update,
               float adamCorrection1, float adamCorrection2, BatchStats* stats, const Team& team);

// Per-row loss and accuracy of predictions `out` against `y`.
void denseScore(const DenseNet& net, const float* out, const float* y, int rows, BatchStats* stats);

}  // namespace peephole
