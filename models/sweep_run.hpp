// The sweep engine (docs/sweeps.md): planning a sweep from its scenario document, the layout of
// its results from the model's declared outputs, running and folding one point, and the whole
// run — points dealt to the processes of an MPI job, run concurrently, checkpointed one file per
// point, resumable, assembled into one results file. The command line (`attachsim run
// SWEEP.toml`) only parses options and prints.
#pragma once

#include <toml++/toml.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "models/scenario.hpp"
#include "sim/results.hpp"
#include "sim/runner.hpp"
#include "sim/sweep.hpp"

namespace attachsim::models {

// A sweep planned and validated: the base scenario and, per point, its overrides and the seed of
// each replicate. Every point's scenario has been built once (so bad values are found before
// anything runs) and keeps the base's output shape.
struct SweepPlan {
  toml::table doc;  // the scenario document without [sweep], command-line overrides applied
  std::string source;
  sim::SweepSpec sweep;
  ScenarioSpec base;
  struct Point {
    std::vector<double> values;          // one per swept parameter
    std::vector<std::string> overrides;  // key=value, as for --set
    std::vector<std::uint64_t> seeds;    // one per replicate
    double dyad_days = 0.0;              // expected work, all replicates
  };
  std::vector<Point> points;
  std::string config;  // the resolved scenario and sweep as TOML (provenance, --print-config)
};

// Plans the sweep in `doc` (which must have a [sweep] table). Throws sim::InputError naming the
// point and key of a bad value, or a point that changes the output's shape.
SweepPlan plan_sweep(toml::table doc, const std::string& source);

// "sweep point 3 (population.rebuff.mean=0.2, ...)", for messages.
std::string describe_point(const SweepPlan& plan, std::size_t p);

// The scenario of replicate r of point p: the base document with the point's overrides and seed.
ScenarioSpec point_scenario(const SweepPlan& plan, std::size_t p, std::size_t r);

// The sweep's results layout (design, points, seeds; per arm the time axis, every metric the
// model declares, a share dataset "<path>_share" for every class-coded dataset the arm declares
// — int8 per dyad with a `codes` attribute — and the kept dyads), without per-point data.
sim::SweepResult sweep_layout(const SweepPlan& plan, const sim::Provenance& provenance);

// Runs point p (every replicate and arm, each arm's dyads in blocks whose rows are folded into
// streaming summaries and dropped) into slot 0 of `one` (sim::sweep_slab(layout, 1)).
// `advance(dyad_days)` is called after each block; the point stops early, returning
// stopped = true, when `stop()` says so after a block.
struct PointRun {
  sim::RunCounters counters;
  bool stopped = false;
};
PointRun run_sweep_point(const SweepPlan& plan, std::size_t p, sim::SweepResult& one,
                         const sim::ParallelOptions& inner,
                         const std::function<void(double)>& advance,
                         const std::function<bool()>& stop);

// Bytes one point in flight holds at most: its one-point slab of summaries, shares and kept
// dyads, and, for its largest arm, a block of dyads' result tables with the streaming summaries.
double sweep_point_bytes(const SweepPlan& plan);

// Bytes this process holds for the whole sweep with `threads` workers: the plan and layout
// (points, seeds, overrides), every point's checkpoint bookkeeping, and up to 2 x threads points
// in flight (oneTBB may start another point while one waits inside its nested loop).
double sweep_bytes(const SweepPlan& plan, int threads);

struct SweepRunOptions {
  std::string output;
  std::vector<std::string> inputs;  // files the command reads (the output must not be one)
  bool resume = false;              // continue the interrupted run of `output`
  int threads = 0;                  // 0: all cores
  bool progress = true;             // a bar on a terminal, lines in a log
  sim::Provenance provenance;       // version, command line, build: written to the file
  std::string resume_command;       // how to continue after a stop (for the message)
};

struct SweepRunReport {
  int exit_code = 0;  // 0, or 128 + signal when stopped by SIGINT / SIGTERM (points kept)
  sim::RunCounters counters;
  double simulate_seconds = 0.0;
  double write_seconds = 0.0;
  int threads = 0;
};

// Runs the planned sweep into options.output (docs/sweeps.md): checks that sweep_bytes fits in
// this process's memory (sim::check_memory, an InputError saying what to change), checks and
// creates the checkpoint
// directory (or, resuming, reuses its finished points), deals the points to the processes of an
// MPI job, runs this process's points concurrently in a oneTBB arena, each checkpointed as it
// finishes, and assembles the results file from the checkpoints (rank 0), whole or not at all.
// SIGINT / SIGTERM stop after the current blocks, keeping finished points, with a message
// saying how to continue. Throws sim::InputError (bad output path, resume mismatch) or
// sim::RuntimeError.
SweepRunReport run_planned_sweep(const SweepPlan& plan, const SweepRunOptions& options);

}  // namespace attachsim::models
