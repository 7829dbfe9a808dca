#!/usr/bin/env python3
"""PyTorch reference for bench/train.ts: trains the same network, from the same initial weights, on the
same rows (raw float32 files written by train.ts), with the same batch size, epochs, learning rate,
SGD and mean squared error, the same last-rows validation split, and prints one JSON line.

Usage: train-torch.py DIR --threads N --epochs E --batch B --lr LR --target ACC --seed S
(--threads 0 keeps torch's default; train.ts sets OPENBLAS_NUM_THREADS to N for N > 0.)
Exits 3 with a JSON line {"error": ...} when torch is not importable.
"""
import argparse
import json
import os
import sys
import time

try:
    import numpy as np
    import torch
except ImportError as error:  # reported by train.ts as "PyTorch absent"
    print(json.dumps({"error": f"torch not importable: {error}"}))
    sys.exit(3)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("dir")
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--epochs", type=int, required=True)
    parser.add_argument("--batch", type=int, required=True)
    parser.add_argument("--lr", type=float, required=True)
    parser.add_argument("--target", type=float, required=True)
    parser.add_argument("--seed", type=int, required=True)
    args = parser.parse_args()

    if args.threads > 0:  # 0: leave torch's and OpenBLAS' defaults
        torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    meta = json.load(open(os.path.join(args.dir, "meta.json")))
    rows, inputs, sizes = meta["rows"], meta["inputs"], meta["sizes"]
    outputs = sizes[-1]
    x = torch.from_numpy(np.fromfile(os.path.join(args.dir, "x.f32"), dtype=np.float32).reshape(rows, inputs))
    y = torch.from_numpy(np.fromfile(os.path.join(args.dir, "y.f32"), dtype=np.float32).reshape(rows, outputs))

    modules = []
    for layer, activation in enumerate(meta["activations"]):
        linear = torch.nn.Linear(sizes[layer], sizes[layer + 1])
        kernel = np.fromfile(os.path.join(args.dir, f"kernel{layer}.f32"), dtype=np.float32)
        bias = np.fromfile(os.path.join(args.dir, f"bias{layer}.f32"), dtype=np.float32)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(kernel.reshape(sizes[layer], sizes[layer + 1]).T.copy()))
            linear.bias.copy_(torch.from_numpy(bias))
        modules.append(linear)
        if activation == "relu":
            modules.append(torch.nn.ReLU())
        elif activation != "linear":
            raise SystemExit(f"activation {activation} not handled by the reference")
    model = torch.nn.Sequential(*modules)
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr)
    loss_fn = torch.nn.MSELoss()

    train_rows = int(rows * (1 - meta["validationSplit"]))
    x_train, y_train = x[:train_rows], y[:train_rows]
    x_val, y_val_class = x[train_rows:], y[train_rows:].argmax(1)
    generator = torch.Generator().manual_seed(args.seed)
    history = []
    seconds_to_target = None
    train_seconds = 0.0
    train_cpu_seconds = 0.0
    started = time.perf_counter()
    for epoch in range(args.epochs):
        epoch_start = time.perf_counter()
        epoch_cpu_start = time.process_time()
        order = torch.randperm(train_rows, generator=generator)
        loss_sum = 0.0
        correct = 0
        model.train()
        for start in range(0, train_rows, args.batch):
            index = order[start:start + args.batch]
            xb, yb = x_train[index], y_train[index]
            out = model(xb)
            loss = loss_fn(out, yb)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            loss_sum += loss.item() * len(index)
            correct += int((out.argmax(1) == yb.argmax(1)).sum())
        epoch_seconds = time.perf_counter() - epoch_start
        train_cpu_seconds += time.process_time() - epoch_cpu_start
        train_seconds += epoch_seconds
        model.eval()
        with torch.no_grad():
            val_acc = float((model(x_val).argmax(1) == y_val_class).float().mean())
        elapsed = time.perf_counter() - started
        history.append({"epoch": epoch, "loss": loss_sum / train_rows, "acc": correct / train_rows, "valAcc": val_acc, "elapsedSeconds": elapsed, "trainSeconds": epoch_seconds})
        if seconds_to_target is None and val_acc >= args.target:
            seconds_to_target = elapsed

    with torch.no_grad():
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            model(x)
            best = min(best, time.perf_counter() - start)
    print(json.dumps({
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "samplesPerSecond": train_rows * args.epochs / train_seconds,
        "samplesPerCpuSecond": train_rows * args.epochs / train_cpu_seconds,
        "bestEpochSamplesPerSecond": train_rows / min(h["trainSeconds"] for h in history),
        "secondsToTarget": seconds_to_target,
        "inferenceRowsPerSecond": rows / best,
        "history": history,
    }))


if __name__ == "__main__":
    main()
