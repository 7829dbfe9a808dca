// N-API binding of the dense network kernels (dense.h). JavaScript owns every buffer (weights,
// optimiser slots, data, shuffled order); this file checks their lengths, gathers each batch's rows
// and runs whole epochs per call, on a team of threads (team.h). Exports: trainEpoch,
// computeGradients, predict, setThreads, getThreads, getThreadMode, config. See src/model/native-addon.ts for the JavaScript side.
#include <node_api.h>

#include <cblas.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "dense.h"
#include "team.h"

namespace {

using peephole::BatchStats;
using peephole::DenseNet;
using peephole::Team;

// Grown once to the largest batch seen, then reused: no allocation per batch.
std::vector<float> scratch;

// 'split': `threads` threads share each batch (rows, then columns), each calling single-threaded
// OpenBLAS. 'blas': one thread calls OpenBLAS, which runs `threads` threads inside each sgemm.
enum class ThreadMode { kSplit, kBlas };
constexpr int kDefaultMaxThreads = 4;
ThreadMode threadMode = ThreadMode::kBlas;
int threads = 1;

int teamSize() { return threadMode == ThreadMode::kSplit ? threads : 1; }

void configureThreads(int count, ThreadMode mode) {
  threads = count;
  threadMode = mode;
  openblas_set_num_threads(mode == ThreadMode::kBlas ? count : 1);
}

struct Failure {
  std::string message;
};

void check(napi_env env, napi_status status, const char* what) {
  if (status != napi_ok) throw Failure{std::string("peephole native: ") + what};
}

napi_value property(napi_env env, napi_value object, const char* name) {
  napi_value value;
  check(env, napi_get_named_property(env, object, name, &value), name);
  return value;
}

double number(napi_env env, napi_value value, const char* name) {
  double out;
  if (napi_get_value_double(env, value, &out) != napi_ok)
    throw Failure{std::string("peephole native: ") + name + " must be a number"};
  return out;
}

template <typename T>
T* typedArray(napi_env env, napi_value value, napi_typedarray_type expected, size_t expectedLength,
              const char* name) {
  bool isTyped = false;
  napi_is_typedarray(env, value, &isTyped);
  if (!isTyped) throw Failure{std::string("peephole native: ") + name + " must be a typed array"};
  napi_typedarray_type type;
  size_t length;
  void* data;
  napi_value buffer;
  size_t offset;
  check(env, napi_get_typedarray_info(env, value, &type, &length, &data, &buffer, &offset), name);
  if (type != expected) throw Failure{std::string("peephole native: ") + name + " has the wrong element type"};
  if (expectedLength != SIZE_MAX && length < expectedLength)
    throw Failure{std::string("peephole native: ") + name + " is too short: " + std::to_string(length) +
                  " < " + std::to_string(expectedLength)};
  return static_cast<T*>(data);
}

size_t typedLength(napi_env env, napi_value value) {
  napi_typedarray_type type;
  size_t length;
  void* data;
  napi_value buffer;
  size_t offset;
  check(env, napi_get_typedarray_info(env, value, &type, &length, &data, &buffer, &offset), "length");
  return length;
}

// Reads an array of Float32Arrays, one per layer, sized like the kernels or the biases.
void layerArrays(napi_env env, napi_value net, const char* name, const DenseNet& shape, bool kernels,
                 float** out) {
  napi_value list = property(env, net, name);
  uint32_t length = 0;
  check(env, napi_get_array_length(env, list, &length), name);
  if (static_cast<int>(length) != shape.layers)
    throw Failure{std::string("peephole native: ") + name + " needs one array per layer"};
  for (int l = 0; l < shape.layers; ++l) {
    napi_value item;
    check(env, napi_get_element(env, list, l, &item), name);
    const size_t count = kernels ? static_cast<size_t>(shape.sizes[l]) * shape.sizes[l + 1]
                                 : static_cast<size_t>(shape.sizes[l + 1]);
    out[l] = typedArray<float>(env, item, napi_float32_array, count, name);
  }
}

DenseNet readNet(napi_env env, napi_value object) {
  DenseNet net;
  napi_value sizesValue = property(env, object, "sizes");
  const size_t sizeCount = typedLength(env, sizesValue);
  if (sizeCount < 2 || sizeCount > peephole::kMaxLayers + 1)
    throw Failure{"peephole native: sizes must list 2 to 33 layer widths"};
  const int32_t* sizes = typedArray<int32_t>(env, sizesValue, napi_int32_array, sizeCount, "sizes");
  net.layers = static_cast<int>(sizeCount) - 1;
  for (size_t i = 0; i < sizeCount; ++i) {
    if (sizes[i] <= 0) throw Failure{"peephole native: layer widths must be positive"};
    net.sizes[i] = sizes[i];
  }
  const int32_t* activations =
      typedArray<int32_t>(env, property(env, object, "activations"), napi_int32_array, net.layers, "activations");
  for (int l = 0; l < net.layers; ++l) net.activations[l] = activations[l];
  net.loss = static_cast<int32_t>(number(env, property(env, object, "loss"), "loss"));
  net.optimizer = static_cast<int32_t>(number(env, property(env, object, "optimizer"), "optimizer"));
  net.learningRate = static_cast<float>(number(env, property(env, object, "learningRate"), "learningRate"));
  net.momentum = static_cast<float>(number(env, property(env, object, "momentum"), "momentum"));
  net.beta1 = static_cast<float>(number(env, property(env, object, "beta1"), "beta1"));
  net.beta2 = static_cast<float>(number(env, property(env, object, "beta2"), "beta2"));
  net.epsilon = static_cast<float>(number(env, property(env, object, "epsilon"), "epsilon"));
  net.l2 = static_cast<float>(number(env, property(env, object, "l2"), "l2"));
  layerArrays(env, object, "kernels", net, true, net.kernels);
  layerArrays(env, object, "biases", net, false, net.biases);
  layerArrays(env, object, "gradKernels", net, true, net.gradKernels);
  layerArrays(env, object, "gradBiases", net, false, net.gradBiases);
  if (net.optimizer == peephole::kMomentum || net.optimizer == peephole::kAdam) {
    layerArrays(env, object, "slot1Kernels", net, true, net.slot1Kernels);
    layerArrays(env, object, "slot1Biases", net, false, net.slot1Biases);
  }
  if (net.optimizer == peephole::kAdam) {
    layerArrays(env, object, "slot2Kernels", net, true, net.slot2Kernels);
    layerArrays(env, object, "slot2Biases", net, false, net.slot2Biases);
    net.adamPowers = typedArray<double>(env, property(env, object, "adamPowers"), napi_float64_array, 2, "adamPowers");
  }
  return net;
}

float* scratchFor(const DenseNet& net, int rows, size_t extra) {
  const size_t need = peephole::denseScratchFloats(net, rows) + extra;
  if (scratch.size() < need) scratch.resize(need);
  return scratch.data();
}

void writeStats(const BatchStats& stats, double* out) {
  out[0] += stats.lossSum;
  out[1] += stats.correct;
}

void getArgs(napi_env env, napi_callback_info info, size_t expected, napi_value* argv) {
  size_t argc = expected;
  check(env, napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr), "arguments");
  if (argc < expected) throw Failure{"peephole native: expected " + std::to_string(expected) + " arguments"};
}

// trainEpoch(net, x, y, order: Int32Array, from, to, batchSize, stats: Float64Array[2])
// Trains on rows order[from..to) in batches of batchSize; adds loss sum and correct count to stats.
napi_value trainEpoch(napi_env env, napi_callback_info info) {
  napi_value argv[8];
  getArgs(env, info, 8, argv);
  DenseNet net = readNet(env, argv[0]);
  const int inputs = net.sizes[0], outputs = net.sizes[net.layers];
  const size_t xLength = typedLength(env, argv[1]);
  const size_t rowCount = xLength / inputs;
  const float* x = typedArray<float>(env, argv[1], napi_float32_array, SIZE_MAX, "x");
  const float* y = typedArray<float>(env, argv[2], napi_float32_array, rowCount * outputs, "y");
  const size_t orderLength = typedLength(env, argv[3]);
  const int32_t* order = typedArray<int32_t>(env, argv[3], napi_int32_array, SIZE_MAX, "order");
  const double from = number(env, argv[4], "from"), to = number(env, argv[5], "to");
  const int batchSize = static_cast<int>(number(env, argv[6], "batchSize"));
  double* stats = typedArray<double>(env, argv[7], napi_float64_array, 2, "stats");
  if (from < 0 || to > static_cast<double>(orderLength) || from > to || batchSize <= 0)
    throw Failure{"peephole native: bad from/to/batchSize"};
  for (size_t i = static_cast<size_t>(from); i < static_cast<size_t>(to); ++i)
    if (order[i] < 0 || static_cast<size_t>(order[i]) >= rowCount)
      throw Failure{"peephole native: order holds a row outside x"};

  const size_t gatherFloats = static_cast<size_t>(batchSize) * (inputs + outputs);
  float* work = scratchFor(net, batchSize, gatherFloats);
  float* bx = work + peephole::denseScratchFloats(net, batchSize);
  float* by = bx + static_cast<size_t>(batchSize) * inputs;
  const size_t first = static_cast<size_t>(from), end = static_cast<size_t>(to);
  std::vector<BatchStats> memberStats(teamSize());
  peephole::runTeam(teamSize(), [&](const Team& team) {
    BatchStats own;
    double power1 = net.optimizer == peephole::kAdam ? net.adamPowers[0] : 1;
    double power2 = net.optimizer == peephole::kAdam ? net.adamPowers[1] : 1;
    for (size_t start = first; start < end; start += batchSize) {
      const int rows = static_cast<int>(std::min<size_t>(batchSize, end - start));
      int r0, r1;
      peephole::shareOf(rows, team.index, team.size, &r0, &r1);
      for (int r = r0; r < r1; ++r) {
        const size_t row = static_cast<size_t>(order[start + r]);
        std::memcpy(bx + static_cast<size_t>(r) * inputs, x + row * inputs, sizeof(float) * inputs);
        std::memcpy(by + static_cast<size_t>(r) * outputs, y + row * outputs, sizeof(float) * outputs);
      }
      power1 *= net.beta1;
      power2 *= net.beta2;
      peephole::denseStep(net, bx, by, rows, work, true, static_cast<float>(1.0 - power1),
                          static_cast<float>(1.0 - power2), &own, team);
    }
    memberStats[team.index] = own;
    if (team.index == 0 && net.optimizer == peephole::kAdam) {
      net.adamPowers[0] = power1;
      net.adamPowers[1] = power2;
    }
  });
  BatchStats total;
  for (const BatchStats& member : memberStats) {
    total.lossSum += member.lossSum;
    total.correct += member.correct;
  }
  writeStats(total, stats);
  return nullptr;
}

// computeGradients(net, x, y, rows, stats): gradients of the mean loss over the first `rows` rows
// into gradKernels/gradBiases (including the l2 term), without changing the weights.
napi_value computeGradients(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  getArgs(env, info, 5, argv);
  DenseNet net = readNet(env, argv[0]);
  const int rows = static_cast<int>(number(env, argv[3], "rows"));
  if (rows <= 0) throw Failure{"peephole native: rows must be positive"};
  const float* x = typedArray<float>(env, argv[1], napi_float32_array, static_cast<size_t>(rows) * net.sizes[0], "x");
  const float* y =
      typedArray<float>(env, argv[2], napi_float32_array, static_cast<size_t>(rows) * net.sizes[net.layers], "y");
  double* stats = typedArray<double>(env, argv[4], napi_float64_array, 2, "stats");
  float* work = scratchFor(net, rows, 0);
  std::vector<BatchStats> memberStats(teamSize());
  peephole::runTeam(teamSize(), [&](const Team& team) {
    peephole::denseStep(net, x, y, rows, work, false, 1.0f, 1.0f, &memberStats[team.index], team);
  });
  for (const BatchStats& member : memberStats) writeStats(member, stats);
  return nullptr;
}

// predict(net, x, rows, out, chunkRows): forward pass in chunks; writes rows x outputs into out.
napi_value predict(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  getArgs(env, info, 5, argv);
  DenseNet net = readNet(env, argv[0]);
  const size_t rows = static_cast<size_t>(number(env, argv[2], "rows"));
  const int inputs = net.sizes[0], outputs = net.sizes[net.layers];
  const float* x = typedArray<float>(env, argv[1], napi_float32_array, rows * inputs, "x");
  float* out = typedArray<float>(env, argv[3], napi_float32_array, rows * outputs, "out");
  const int chunk = static_cast<int>(number(env, argv[4], "chunkRows"));
  if (chunk <= 0) throw Failure{"peephole native: chunkRows must be positive"};
  // Rows are independent: each of `threads` members predicts a contiguous share, chunk by chunk, in
  // its own scratch, with single-threaded OpenBLAS (no barrier at all), in either thread mode.
  const int members = static_cast<int>(std::max<size_t>(1, std::min<size_t>(threads, rows / chunk + 1)));
  const size_t perMember = peephole::denseScratchFloats(net, chunk);
  float* work = scratchFor(net, chunk, perMember * (members - 1));
  if (threadMode == ThreadMode::kBlas && members > 1) openblas_set_num_threads(1);
  peephole::runTeam(members, [&](const Team& team) {
    const size_t begin = rows * team.index / members, stop = rows * (team.index + 1) / members;
    float* own = work + perMember * team.index;
    for (size_t start = begin; start < stop; start += chunk) {
      const int n = static_cast<int>(std::min<size_t>(chunk, stop - start));
      const float* result = peephole::denseForward(net, x + start * inputs, n, 0, n, own);
      std::memcpy(out + start * outputs, result, sizeof(float) * n * outputs);
    }
  });
  if (threadMode == ThreadMode::kBlas && members > 1) openblas_set_num_threads(threads);
  return nullptr;
}

// setThreads(threads, mode?: 'blas' | 'split'); without a mode the current one stays.
napi_value setThreads(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  size_t argc = 2;
  check(env, napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr), "arguments");
  if (argc < 1) throw Failure{"peephole native: setThreads(threads, mode?)"};
  const int count = static_cast<int>(number(env, argv[0], "threads"));
  if (count < 1 || count > 256) throw Failure{"peephole native: threads must be at least 1 (and at most 256)"};
  ThreadMode mode = threadMode;
  napi_valuetype type = napi_undefined;
  if (argc >= 2) napi_typeof(env, argv[1], &type);
  if (type == napi_string) {
    char text[8] = {0};
    size_t length = 0;
    check(env, napi_get_value_string_utf8(env, argv[1], text, sizeof(text), &length), "mode");
    if (std::strcmp(text, "blas") == 0) mode = ThreadMode::kBlas;
    else if (std::strcmp(text, "split") == 0) mode = ThreadMode::kSplit;
    else throw Failure{"peephole native: mode must be 'split' or 'blas'"};
  } else if (type != napi_undefined) {
    throw Failure{"peephole native: mode must be 'split' or 'blas'"};
  }
  configureThreads(count, mode);
  return nullptr;
}

napi_value getThreads(napi_env env, napi_callback_info) {
  napi_value result;
  napi_create_int32(env, threads, &result);
  return result;
}

napi_value getThreadMode(napi_env env, napi_callback_info) {
  napi_value result;
  napi_create_string_utf8(env, threadMode == ThreadMode::kSplit ? "split" : "blas", NAPI_AUTO_LENGTH, &result);
  return result;
}

napi_value config(napi_env env, napi_callback_info) {
  napi_value result;
  const char* text = openblas_get_config();
  napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &result);
  return result;
}

template <napi_value (*F)(napi_env, napi_callback_info)>
napi_value guarded(napi_env env, napi_callback_info info) {
  try {
    return F(env, info);
  } catch (const Failure& failure) {
    napi_throw_error(env, nullptr, failure.message.c_str());
    return nullptr;
  }
}

napi_value init(napi_env env, napi_value exports) {
  const unsigned cores = std::thread::hardware_concurrency();
  configureThreads(static_cast<int>(std::max(1u, std::min(cores, static_cast<unsigned>(kDefaultMaxThreads)))),
                   ThreadMode::kBlas);
  const napi_property_descriptor properties[] = {
      {"trainEpoch", nullptr, guarded<trainEpoch>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"computeGradients", nullptr, guarded<computeGradients>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"predict", nullptr, guarded<predict>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"setThreads", nullptr, guarded<setThreads>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"getThreads", nullptr, guarded<getThreads>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"getThreadMode", nullptr, guarded<getThreadMode>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"config", nullptr, guarded<config>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
  };
  napi_define_properties(env, exports, sizeof(properties) / sizeof(properties[0]), properties);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
