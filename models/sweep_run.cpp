#include "models/sweep_run.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <limits>
#include <optional>
#include <stdexcept>
#include <thread>

#include "models/metrics.hpp"
#include "models/run.hpp"
#include "models/simulate.hpp"
#include "sim/aggregate.hpp"
#include "sim/checkpoint.hpp"
#include "sim/distributed.hpp"
#include "sim/errors.hpp"
#include "sim/progress.hpp"
#include "sim/resources.hpp"
#include "sim/results_file.hpp"
#include "sim/signals.hpp"
#include "sim/sweep_file.hpp"

namespace attachsim::models {
namespace {

constexpr std::size_t kBlockDyads = 4096;  // dyads per streamed block (before group rounding)

// The unit of a swept key, from the parameter registry where the key names a parameter.
std::string unit_of(const std::string& key) {
  for (const auto& p : kCaregiverParams) {
    if (key.find("population." + std::string(p.key) + ".") != std::string::npos ||
        key.ends_with("population." + std::string(p.key))) {
      return std::string(p.unit);
    }
  }
  for (const auto& p : kChildParams) {
    if (key.ends_with("child." + std::string(p.key))) return std::string(p.unit);
  }
  if (key == "scenario.dyads") return "dyads per arm";
  if (key == "scenario.months") return "months";
  return "";
}

// A point must keep the shape of the base scenario's output: same arms, records and assessments.
void check_same_shape(const ScenarioSpec& base, const ScenarioSpec& spec, const std::string& where,
                      bool keeps_dyads) {
  if (keeps_dyads && spec.dyads != base.dyads) {
    throw sim::InputError(where +
                          ": changes scenario.dyads while dyad_stride keeps dyads' rows; allowed: "
                          "dyad_stride = 0 when the number of dyads is swept");
  }
  bool same = base.arms.size() == spec.arms.size() && base.n_records() == spec.n_records() &&
              base.record_stride_days == spec.record_stride_days &&
              base.assessment.strange_situation_months == spec.assessment.strange_situation_months;
  for (std::size_t a = 0; same && a < base.arms.size(); ++a) {
    same = base.arms[a].name == spec.arms[a].name &&
           base.arms[a].group_size() == spec.arms[a].group_size();
  }
  if (!same) {
    throw sim::InputError(where +
                          ": changes the shape of the output (arms, records, recording stride, "
                          "Strange Situation ages or day-care group size); allowed: sweep keys "
                          "that keep them, so that every point's summaries line up");
  }
}

// A class-coded dataset the arm declares (int8, one value per dyad, a `codes` attribute), whose
// shares per point the sweep keeps.
struct CodedOutput {
  std::size_t extra = 0;          // index in ArmResult::extra
  std::string path;               // of the share dataset: "<declared path>_share"
  std::string codes;              // the attribute, as declared
  std::array<int, 256> column{};  // int8 value + 128 -> column of the share, or -1
  std::size_t n_codes = 0;
};

std::vector<CodedOutput> coded_outputs(const ScenarioSpec& spec, std::size_t a) {
  ScenarioSpec one = spec;  // only the declarations matter: the smallest whole arm
  one.dyads = spec.arms[a].group_size();
  const sim::ArmResult declared = make_arm_result(one, a);
  std::vector<CodedOutput> out;
  for (std::size_t i = 0; i < declared.extra.size(); ++i) {
    const sim::ExtraDataset& e = declared.extra[i];
    if (!std::holds_alternative<std::vector<std::int8_t>>(e.data) || e.shape.size() != 1) continue;
    for (const auto& [name, value] : e.string_attributes) {
      if (name != "codes") continue;
      const std::optional<std::vector<sim::Code>> codes = sim::parse_codes(value);
      if (!codes) {
        throw std::logic_error("the model declares '" + e.path + "' with bad codes '" + value +
                               "'");
      }
      CodedOutput c;
      c.extra = i;
      c.path = e.path + "_share";
      c.codes = value;
      c.n_codes = codes->size();
      c.column.fill(-1);
      for (std::size_t k = 0; k < codes->size(); ++k) {
        c.column[static_cast<std::size_t>((*codes)[k].value + 128)] = static_cast<int>(k);
      }
      out.push_back(std::move(c));
    }
  }
  return out;
}

}  // namespace

std::string describe_point(const SweepPlan& plan, std::size_t p) {
  std::string text = "sweep point " + std::to_string(p) + " (";
  const auto& overrides = plan.points[p].overrides;
  for (std::size_t i = 0; i < overrides.size(); ++i) text += (i ? ", " : "") + overrides[i];
  return text + ")";
}

ScenarioSpec point_scenario(const SweepPlan& plan, std::size_t p, std::size_t r) {
  toml::table doc = plan.doc;
  try {
    for (const std::string& o : plan.points[p].overrides) sim::apply_override(doc, o);
    sim::apply_override(doc, "scenario.seed=" + std::to_string(plan.points[p].seeds[r]));
    return scenario_from_toml(doc, plan.source);
  } catch (const sim::InputError& e) {
    throw sim::InputError(describe_point(plan, p) + ": " + e.what());
  }
}

SweepPlan plan_sweep(toml::table doc, const std::string& source) {
  SweepPlan plan;
  plan.source = source;
  {
    sim::ConfigTable root(&doc, "", source);
    plan.sweep = sim::read_sweep(root.table("sweep"));
  }
  doc.erase("sweep");
  plan.base = scenario_from_toml(doc, source);
  plan.doc = std::move(doc);
  const std::vector<std::vector<double>> values = sim::sweep_points(plan.sweep);
  plan.points.resize(values.size());
  for (std::size_t p = 0; p < values.size(); ++p) {
    SweepPlan::Point& point = plan.points[p];
    point.values = values[p];
    point.overrides = sim::point_overrides(plan.sweep, values[p]);
    for (std::int64_t r = 0; r < plan.sweep.replicates; ++r) {
      point.seeds.push_back(sim::point_seed(plan.base.seed, point.overrides, r));
    }
    const ScenarioSpec spec = point_scenario(plan, p, 0);
    check_same_shape(plan.base, spec, describe_point(plan, p), plan.sweep.dyad_stride > 0);
    point.dyad_days = scenario_dyad_days(spec) * static_cast<double>(plan.sweep.replicates);
  }
  plan.config = scenario_to_toml(plan.base) + sim::sweep_to_toml(plan.sweep);
  return plan;
}

sim::SweepResult sweep_layout(const SweepPlan& plan, const sim::Provenance& provenance) {
  const ScenarioSpec& base = plan.base;
  sim::SweepResult result;
  result.provenance = provenance;
  result.design = sim::kDesignNames[static_cast<std::size_t>(plan.sweep.design)];
  result.samples = plan.sweep.samples;
  result.replicates = plan.sweep.replicates;
  result.n_points = plan.points.size();
  for (const auto& p : plan.sweep.parameters) {
    result.columns.push_back(p.key);
    result.units.push_back(unit_of(p.key));
  }
  for (const SweepPlan::Point& point : plan.points) {
    result.points.insert(result.points.end(), point.values.begin(), point.values.end());
    result.seeds.insert(result.seeds.end(), point.seeds.begin(), point.seeds.end());
  }
  const auto n_records = static_cast<std::size_t>(base.n_records());
  for (std::size_t arm = 0; arm < base.arms.size(); ++arm) {
    sim::SweepArmResult a;
    a.name = base.arms[arm].name;
    for (std::size_t k = 0; k < n_records; ++k) {
      a.time_days.push_back(base.record_stride_days * static_cast<double>(k + 1));
    }
    for (const MetricSpec& m : kMetrics) {
      a.metric_info.push_back(
          {std::string(m.name), std::string(m.units), std::string(m.description)});
    }
    if (plan.sweep.dyad_stride > 0) {
      const auto stride = static_cast<std::size_t>(plan.sweep.dyad_stride);
      a.dyad_stride = plan.sweep.dyad_stride;
      a.kept_dyads = (static_cast<std::size_t>(base.dyads) + stride - 1) / stride;
    }
    for (const CodedOutput& c : coded_outputs(base, arm)) {
      a.shares.push_back({c.path, c.codes, c.n_codes, {}});
    }
    result.arms.push_back(std::move(a));
  }
  return result;
}

PointRun run_sweep_point(const SweepPlan& plan, std::size_t p, sim::SweepResult& one,
                         const sim::ParallelOptions& inner,
                         const std::function<void(double)>& advance,
                         const std::function<bool()>& stop) {
  PointRun run;
  std::vector<sim::SummaryRange> ranges;
  for (const MetricSpec& m : kMetrics) ranges.push_back({m.lo, m.hi});
  const std::size_t reps = plan.points[p].seeds.size();
  for (std::size_t r = 0; r < reps; ++r) {
    const ScenarioSpec spec = point_scenario(plan, p, r);
    const auto n_records = static_cast<std::size_t>(spec.n_records());
    for (std::size_t a = 0; a < spec.arms.size(); ++a) {
      sim::SweepArmResult& out = one.arms[a];
      sim::SummaryAccumulator acc(ranges, n_records);
      const std::vector<CodedOutput> coded = coded_outputs(spec, a);
      if (coded.size() != out.shares.size()) {
        throw std::logic_error("run_sweep_point: the arm's coded outputs differ from the layout");
      }
      std::vector<std::vector<double>> counts(coded.size());  // per code, then the total
      for (std::size_t s = 0; s < coded.size(); ++s) counts[s].assign(coded[s].n_codes + 1, 0.0);
      const auto g = static_cast<std::size_t>(spec.arms[a].group_size());
      const std::size_t block = kBlockDyads - kBlockDyads % g;
      const auto n_dyads = static_cast<std::size_t>(spec.dyads);
      for (std::size_t first = 0; first < n_dyads; first += block) {
        const std::size_t count = std::min(block, n_dyads - first);
        const sim::ArmResult chunk = run_arm_block(spec, a, first, count, inner);
        acc.add(chunk.metrics);
        if (out.kept_dyads > 0) {  // every stride-th dyad of the arm, by its index
          const auto stride = static_cast<std::size_t>(out.dyad_stride);
          for (std::size_t d = (first + stride - 1) / stride * stride; d < first + count;
               d += stride) {
            for (std::size_t m = 0; m < kNumMetrics; ++m) {
              const float* row = chunk.metrics.row(m, d - first);
              std::copy(row, row + n_records,
                        out.dyad_rows[m].data() + ((r * out.kept_dyads) + d / stride) * n_records);
            }
          }
        }
        for (std::size_t s = 0; s < coded.size(); ++s) {
          const auto& values = std::get<std::vector<std::int8_t>>(chunk.extra[coded[s].extra].data);
          for (std::size_t d = 0; d < count; ++d) {
            const int column = coded[s].column[static_cast<std::size_t>(values[d] + 128)];
            if (column < 0) continue;  // not assessed (or not a code)
            counts[s][static_cast<std::size_t>(column)] += 1.0;
            counts[s].back() += 1.0;
          }
        }
        run.counters.events += chunk.counters.events;
        run.counters.draws += chunk.counters.draws;
        run.counters.dyad_days += chunk.counters.dyad_days;
        if (advance) advance(chunk.counters.dyad_days);
        if (stop && stop()) {
          run.stopped = true;
          return run;
        }
      }
      const std::size_t cell = r * n_records;
      for (std::size_t m = 0; m < kNumMetrics; ++m) {
        for (std::size_t k = 0; k < n_records; ++k) {
          const sim::StreamedSummary s = acc.summary(m, k);
          const double stat[5] = {s.mean, s.sd, s.p10, s.p50, s.p90};
          for (std::size_t i = 0; i < 5; ++i) out.stats[m][i][cell + k] = stat[i];
          out.clamped[m][cell + k] = s.clamped;
        }
      }
      for (std::size_t s = 0; s < coded.size(); ++s) {
        const double n = counts[s].back();
        const std::size_t width = coded[s].n_codes;
        for (std::size_t c = 0; c < width; ++c) {
          out.shares[s].values[r * width + c] =
              n > 0.0 ? counts[s][c] / n : std::numeric_limits<double>::quiet_NaN();
        }
      }
    }
  }
  return run;
}

double sweep_point_bytes(const SweepPlan& plan) {
  const ScenarioSpec& base = plan.base;
  const auto records = static_cast<double>(base.n_records());
  const auto reps = static_cast<double>(plan.sweep.replicates);
  const auto metrics = static_cast<double>(kNumMetrics);
  double slab = 0.0, block = 0.0;
  for (std::size_t a = 0; a < base.arms.size(); ++a) {
    slab += reps * records * metrics * (5.0 * sizeof(double) + sizeof(std::int64_t));
    slab += reps * 8.0 * sizeof(double) * static_cast<double>(coded_outputs(base, a).size());
    if (plan.sweep.dyad_stride > 0) {
      const double kept =
          std::ceil(static_cast<double>(base.dyads) / static_cast<double>(plan.sweep.dyad_stride));
      slab += reps * kept * records * metrics * sizeof(float);
    }
    const auto g = static_cast<std::size_t>(base.arms[a].group_size());
    const std::size_t dyads =
        std::min(kBlockDyads - kBlockDyads % g, static_cast<std::size_t>(base.dyads));
    const double accumulator =
        metrics * records *
        (sim::SummaryAccumulator::kBins * sizeof(std::uint32_t) + 4.0 * sizeof(double));
    block = std::max(block, arm_result_bytes(base, a, dyads) + accumulator);
  }
  return slab + block;
}

double sweep_bytes(const SweepPlan& plan, int threads) {
  const auto n_points = static_cast<double>(plan.points.size());
  const auto k = static_cast<double>(plan.sweep.parameters.size());
  const auto reps = static_cast<double>(plan.sweep.replicates);
  // Per point: values (twice: plan and layout), seeds (twice), overrides' text (~48 bytes a key),
  // cost and bookkeeping.
  const double per_point =
      2.0 * k * sizeof(double) + 2.0 * reps * sizeof(std::uint64_t) + k * 48.0 + 64.0;
  const int workers = threads > 0 ? threads : static_cast<int>(std::thread::hardware_concurrency());
  const double in_flight = std::min(n_points, 2.0 * std::max(workers, 1));
  return n_points * per_point + in_flight * sweep_point_bytes(plan);
}

SweepRunReport run_planned_sweep(const SweepPlan& plan, const SweepRunOptions& options) {
  sim::check_memory(sweep_bytes(plan, options.threads),
                    "the points of this sweep (" + std::to_string(plan.points.size()) +
                        " of them, up to two per worker thread in flight at a time)",
                    "fewer points (sweep.samples or grid values), fewer months or a longer "
                    "scenario.record_stride_days, a larger dyad_stride (or 0), or fewer --threads");
  namespace fs = std::filesystem;
  using sim::distributed::on_root;
  // In an MPI job (docs/hpc.md) every process has planned the same points; rank 0 alone checks
  // and creates the checkpoint directory (on a file system all processes share) and assembles the
  // file; each process runs its share of the points.
  const int rank = sim::distributed::rank();
  const int ranks = sim::distributed::size();
  const std::string parts = sim::parts_directory(options.output);
  const std::uint64_t config_id = sim::fingerprint(options.provenance.version + "\n" + plan.config);
  sim::CheckpointLock lock;  // rank 0's, held until the sweep ends
  on_root([&] {
    lock = sim::prepare_checkpoints(options.output, options.inputs, options.resume, plan.config,
                                    config_id);
  });
  const std::size_t n_points = plan.points.size();
  const sim::SweepResult result_layout = sweep_layout(plan, options.provenance);

  // Points finished by an earlier, interrupted run.
  std::string finished_before(n_points, '0');  // '1': checkpointed by an earlier run
  if (options.resume) {
    on_root([&] {
      for (std::size_t p = 0; p < n_points; ++p) {
        const auto bytes = sim::read_whole_file(parts + "/" + sim::part_name(p));
        sim::SweepResult check = sim::sweep_slab(result_layout, 1);
        if (bytes && sim::decode_point(check, 0, p, config_id, *bytes)) finished_before[p] = '1';
      }
    });
    finished_before = sim::distributed::broadcast(finished_before);
  }
  std::vector<bool> done(n_points, false);
  std::size_t n_done = 0;
  std::vector<double> cost(n_points, 0.0);  // of the points left to run
  for (std::size_t p = 0; p < n_points; ++p) {
    done[p] = finished_before[p] == '1';
    n_done += done[p] ? 1 : 0;
    cost[p] = done[p] ? 0.0 : plan.points[p].dyad_days;
  }
  const std::vector<int> owner = sim::deal_points(cost, ranks);
  double total_days = 0.0;  // this process's share
  for (std::size_t p = 0; p < n_points; ++p) total_days += owner[p] == rank ? cost[p] : 0.0;

  SweepRunReport report;
  report.threads =
      options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  const sim::StopOnSignal stop_on_signal;
  const auto start = std::chrono::steady_clock::now();
  {
    sim::ProgressBar bar(static_cast<std::uint64_t>(total_days), "sweeping",
                         sim::ProgressBar::mode_for(!options.progress || rank != 0));
    tbb::task_arena arena(options.threads > 0 ? options.threads : tbb::task_arena::automatic);
    // Points run concurrently (and each point's dyads in parallel within it, in the same arena):
    // a point fills its own one-point slab and writes its own checkpoint, so the results do not
    // depend on the order in which points finish.
    sim::ParallelOptions inner;  // threads 0: the arena's
    std::vector<sim::RunCounters> point_counters(n_points);
    std::atomic<std::size_t> finished{n_done};
    std::atomic<bool> stopped{false};
    // Every point's task ends with a release increment that the caller acquires after the loop
    // (as in sim::parallel_for_dyads): oneTBB synchronises the same way internally, inside
    // libtbb where ThreadSanitizer cannot see it.
    std::atomic<std::size_t> visited{0};
    struct Visit {
      std::atomic<std::size_t>& count;
      ~Visit() { count.fetch_add(1, std::memory_order_release); }
    };
    auto run_point = [&](std::size_t p) {
      const Visit visit{visited};
      if (done[p] || owner[p] != rank || stopped.load(std::memory_order_relaxed)) return;
      sim::SweepResult one = sim::sweep_slab(result_layout, 1);  // this point's slice, slot 0
      const PointRun run = run_sweep_point(
          plan, p, one, inner, [&](double days) { bar.advance(static_cast<std::uint64_t>(days)); },
          [] { return sim::stop_signal() != 0; });
      point_counters[p] = run.counters;
      if (run.stopped) {  // finish this block, keep the finished points, stop
        stopped.store(true, std::memory_order_relaxed);
        return;
      }
      // Not fsynced: a part torn by a power loss fails its checksum and the point is rerun.
      sim::write_file_atomically(parts + "/" + sim::part_name(p),
                                 sim::encode_point(one, 0, p, config_id), false);
      finished.fetch_add(1, std::memory_order_relaxed);
    };
    arena.execute([&] {
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n_points, 1),
                        [&](const tbb::blocked_range<std::size_t>& range) {
                          for (std::size_t p = range.begin(); p != range.end(); ++p) run_point(p);
                        });
    });
    if (visited.load(std::memory_order_acquire) != n_points) {
      throw std::logic_error("run_planned_sweep: not every point ran");
    }
    for (const sim::RunCounters& c : point_counters) {  // summed in point order
      report.counters.events += c.events;
      report.counters.draws += c.draws;
      report.counters.dyad_days += c.dyad_days;
    }
    report.counters.events = sim::distributed::sum(report.counters.events);
    report.counters.draws = sim::distributed::sum(report.counters.draws);
    report.counters.dyad_days = sim::distributed::sum(report.counters.dyad_days);
    // mpirun forwards a signal to every process; one that ran out of points stops with the rest.
    const bool any_stopped = sim::distributed::any(stopped.load());
    const auto n_finished =
        sim::distributed::sum(static_cast<std::uint64_t>(finished.load() - n_done)) + n_done;
    bar.finish();
    if (any_stopped) {
      const int signal = sim::stop_signal() != 0 ? sim::stop_signal() : SIGTERM;
      if (rank == 0) {
        std::cerr << "attachsim: stopped by signal " << signal << " after " << n_finished << " of "
                  << n_points << " points; the finished points are kept in " << parts
                  << "/. Continue with: " << options.resume_command << " --resume\n";
      }
      report.exit_code = 128 + signal;
      return report;
    }
  }
  const auto simulated = std::chrono::steady_clock::now();
  report.simulate_seconds =
      sim::distributed::max(std::chrono::duration<double>(simulated - start).count());
  // Assembled from the checkpoints, a batch of points at a time, by rank 0 once every process has
  // written its points' checkpoints.
  sim::distributed::barrier();
  on_root([&] {
    sim::write_sweep(options.output, result_layout,
                     [&](std::size_t first, std::size_t n, sim::SweepResult& slab) {
                       for (std::size_t i = 0; i < n; ++i) {
                         const std::string part = parts + "/" + sim::part_name(first + i);
                         const auto bytes = sim::read_whole_file(part);
                         if (!bytes || !sim::decode_point(slab, i, first + i, config_id, *bytes)) {
                           throw sim::RuntimeError("checkpoint '" + part +
                                                   "' is missing or damaged; run again with "
                                                   "--resume to recompute it");
                         }
                       }
                     });
    std::error_code ignored;
    fs::remove_all(parts, ignored);  // complete: the checkpoints are no longer needed
  });
  report.write_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - simulated).count();
  return report;
}

}  // namespace attachsim::models
