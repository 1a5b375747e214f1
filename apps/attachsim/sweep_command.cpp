// `attachsim run SWEEP.toml`: a scenario with a [sweep] section (docs/sweeps.md). Every point is
// validated before anything runs; points then run concurrently, each arm's dyads in blocks whose
// metric rows are folded into streaming summaries and dropped. In an MPI job the points are
// dealt to the processes (docs/hpc.md).
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "apps/attachsim/commands.hpp"
#include "apps/attachsim/inspect.hpp"
#include "apps/attachsim/scenario_loading.hpp"
#include "apps/attachsim/sweep.hpp"
#include "apps/attachsim/text.hpp"
#include "models/assessment/strange_situation.hpp"
#include "models/metrics.hpp"
#include "models/parameters.hpp"
#include "models/run.hpp"
#include "sim/aggregate.hpp"
#include "sim/checkpoint.hpp"
#include "sim/config.hpp"
#include "sim/distributed.hpp"
#include "sim/errors.hpp"
#include "sim/files.hpp"
#include "sim/results_file.hpp"
#include "sim/sweep_file.hpp"
#include "sim/summary.hpp"
#include "sim/progress.hpp"

namespace attachsim::cli {
namespace {

constexpr std::size_t kBlockDyads = 4096;  // dyads per streamed block (before group rounding)

// SIGINT / SIGTERM ask the sweep to stop after the current block (async-signal-safe: a flag).
volatile std::sig_atomic_t g_stop_signal = 0;
extern "C" void request_stop(int signal) { g_stop_signal = signal; }

// Installs the stop handlers for the lifetime of the object, restoring the previous ones after.
class StopOnSignal {
 public:
  StopOnSignal() {
    g_stop_signal = 0;
    struct sigaction action {};
    action.sa_handler = request_stop;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &old_int_);
    sigaction(SIGTERM, &action, &old_term_);
  }
  ~StopOnSignal() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }
  StopOnSignal(const StopOnSignal&) = delete;
  StopOnSignal& operator=(const StopOnSignal&) = delete;

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

std::string part_name(std::size_t p) { return "point-" + std::to_string(p) + ".bin"; }

// The unit of a swept key, from the parameter registry where the key names a parameter.
std::string unit_of(const std::string& key) {
  for (const auto& p : models::kCaregiverParams) {
    if (key.find("population." + std::string(p.key) + ".") != std::string::npos ||
        key.ends_with("population." + std::string(p.key))) {
      return std::string(p.unit);
    }
  }
  for (const auto& p : models::kChildParams) {
    if (key.ends_with("child." + std::string(p.key))) return std::string(p.unit);
  }
  if (key == "scenario.dyads") return "dyads per arm";
  if (key == "scenario.months") return "months";
  return "";
}

std::string describe_point(std::size_t index, const std::vector<std::string>& overrides) {
  std::string text = "sweep point " + std::to_string(index) + " (";
  for (std::size_t i = 0; i < overrides.size(); ++i) text += (i ? ", " : "") + overrides[i];
  return text + ")";
}

struct Point {
  std::vector<std::string> overrides;
  std::vector<std::uint64_t> seeds;  // one per replicate
};

// The scenario of one replicate of a point: the base document with the point's overrides and its
// seed, validated.
models::ScenarioSpec point_spec(const toml::table& base, const std::string& source,
                                const Point& point, std::size_t index, std::size_t replicate) {
  toml::table doc = base;
  try {
    for (const std::string& o : point.overrides) sim::apply_override(doc, o);
    sim::apply_override(doc, "scenario.seed=" + std::to_string(point.seeds[replicate]));
    return models::scenario_from_toml(doc, source);
  } catch (const sim::InputError& e) {
    throw sim::InputError(describe_point(index, point.overrides) + ": " + e.what());
  }
}

// A point must keep the shape of the base scenario's output: same arms, records and assessments.
void check_same_shape(const models::ScenarioSpec& base, const models::ScenarioSpec& spec,
                      const std::string& where, bool keeps_dyads) {
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

// Checks the checkpoint directory for this run (resuming: it must be this configuration's;
// starting: there must be none) and, starting, creates it with its manifest.
void prepare_checkpoints(const SweepOptions& options, const std::string& parts,
                         const std::string& manifest, const std::string& config,
                         std::uint64_t config_id) {
  namespace fs = std::filesystem;
  if (options.resume) {
    sim::remove_stale_temporaries(options.output);  // left by killed runs, here and in .parts/
    sim::remove_stale_temporaries(parts);
    if (!fs::exists(manifest)) {
      throw sim::InputError(
          "--resume: no interrupted run of '" + options.output + "' (no " + manifest + ")" +
          (fs::exists(options.output) ? "; the file is complete, so there is nothing to resume"
                                      : "; run without --resume to start it"));
    }
    const auto text = sim::read_whole_file(manifest);
    if (!text ||
        text->rfind("attachsim sweep checkpoint " + std::to_string(config_id) + "\n", 0) != 0) {
      throw sim::InputError("--resume: " + parts +
                            "/ was made by a different configuration or attachsim version than "
                            "this command's; allowed: the same scenario, overrides and version, "
                            "or delete " +
                            parts + "/ and run without --resume");
    }
  } else {
    if (fs::exists(parts)) {
      throw sim::InputError("an interrupted run of '" + options.output + "' is waiting in " +
                            parts + "/; allowed: continue it with --resume, or delete " + parts +
                            "/ to start over");
    }
    sim::check_output_path(options.output, options.inputs);
    std::error_code error;
    // Creating the directory is the lock: of two runs started on one output at once, the second
    // finds it made (create_directory is atomic) and stops here.
    const bool created = fs::create_directory(parts, error);
    if (error) {
      throw sim::RuntimeError("cannot create '" + parts + "': " + error.message());
    }
    if (!created) {
      throw sim::InputError("another run of '" + options.output + "' started at the same time (" +
                            parts + "/ appeared); allowed: one run per output");
    }
    sim::write_file_atomically(
        manifest, "attachsim sweep checkpoint " + std::to_string(config_id) + "\n" + config);
  }
}

// Which process runs each point: longest processing time first (points by decreasing expected
// cost, ties by index, each to the least-loaded process, ties to the lowest rank), a
// deterministic assignment within 4/3 of the best balance. Points of zero cost (finished) go to
// rank 0 and are skipped.
std::vector<int> deal_points(const std::vector<double>& cost, int ranks) {
  std::vector<std::size_t> order(cost.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return cost[a] > cost[b]; });
  std::vector<double> load(static_cast<std::size_t>(ranks), 0.0);
  std::vector<int> owner(cost.size(), 0);
  for (const std::size_t p : order) {
    if (cost[p] <= 0.0) continue;
    const auto least = std::min_element(load.begin(), load.end()) - load.begin();
    owner[p] = static_cast<int>(least);
    load[static_cast<std::size_t>(least)] += cost[p];
  }
  return owner;
}

}  // namespace

int run_sweep(ScenarioDocument document, const std::vector<std::string>& overrides,
              const SweepOptions& options, const std::string& command_line) {
  toml::table& doc = document.doc;
  warn_shadowed_overrides(doc, overrides,
                          doc["scenario"]["name"].value_or(std::string("the scenario")));
  for (const std::string& assignment : overrides) sim::apply_override(doc, assignment);
  sim::ConfigTable root(&doc, "", document.source);
  const sim::SweepSpec sweep = sim::read_sweep(root.table("sweep"));
  doc.erase("sweep");
  const models::ScenarioSpec base = models::scenario_from_toml(doc, document.source);

  // Plan and validate every point before anything runs.
  const std::vector<std::vector<double>> values = sim::sweep_points(sweep);
  std::vector<Point> points(values.size());
  std::vector<double> point_cost(values.size());  // expected cost to run: dyad-days
  for (std::size_t p = 0; p < values.size(); ++p) {
    points[p].overrides = sim::point_overrides(sweep, values[p]);
    for (std::int64_t r = 0; r < sweep.replicates; ++r) {
      points[p].seeds.push_back(sim::point_seed(base.seed, points[p].overrides, r));
    }
    const models::ScenarioSpec spec = point_spec(doc, document.source, points[p], p, 0);
    check_same_shape(base, spec, describe_point(p, points[p].overrides), sweep.dyad_stride > 0);
    point_cost[p] = models::scenario_dyad_days(spec) * static_cast<double>(sweep.replicates);
  }

  const std::string config = models::scenario_to_toml(base) + sim::sweep_to_toml(sweep);
  // In an MPI job (docs/hpc.md) every process plans and validates the same points; rank 0 alone
  // prints, checks and creates the checkpoint directory (on a file system all processes share),
  // and assembles the file; each process runs its share of the points.
  const int rank = sim::distributed::rank();
  const int ranks = sim::distributed::size();
  if (options.print_config) {
    if (rank == 0) std::cout << config;
    return 0;
  }
  if (options.print_plan) {
    if (rank != 0) return 0;
    std::cout << "sweep of scenario '" << base.name << "': design "
              << sim::kDesignNames[static_cast<std::size_t>(sweep.design)] << ", " << points.size()
              << " points x " << sweep.replicates << " replicate(s) x " << base.arms.size()
              << " arm(s) x " << base.dyads << " dyads\n";
    std::cout << "point";
    for (const auto& p : sweep.parameters) std::cout << "\t" << p.key;
    std::cout << "\tseeds\n";
    for (std::size_t p = 0; p < points.size(); ++p) {
      std::cout << p;
      for (const double v : values[p]) std::cout << "\t" << sim::toml_number(v);
      std::cout << "\t";
      for (std::size_t r = 0; r < points[p].seeds.size(); ++r) {
        std::cout << (r ? "," : "") << points[p].seeds[r];
      }
      std::cout << "\n";
    }
    return 0;
  }

  // Checkpoints: <output>.parts/ holds a manifest (the configuration's fingerprint) and one file
  // per finished point; it exists exactly while a run of this output is unfinished.
  namespace fs = std::filesystem;
  const std::string parts = options.output + ".parts";
  const std::string manifest = parts + "/manifest";
  const std::uint64_t config_id = sim::fingerprint(std::string(ATTACHSIM_VERSION) + "\n" + config);
  const std::string resume_hint = "attachsim " + command_line.substr(command_line.find(' ') + 1);
  using sim::distributed::on_root;
  on_root([&] { prepare_checkpoints(options, parts, manifest, config, config_id); });
  const auto n_points = points.size();
  const auto reps = static_cast<std::size_t>(sweep.replicates);
  const auto n_records = static_cast<std::size_t>(base.n_records());

  sim::SweepResult result;
  result.provenance = {ATTACHSIM_VERSION, sim::utc_now_iso8601(), base.seed, command_line, config,
                       kBuildId,          ATTACHSIM_BUILD_TYPE};
  result.design = sim::kDesignNames[static_cast<std::size_t>(sweep.design)];
  result.samples = sweep.samples;
  result.replicates = sweep.replicates;
  result.n_points = n_points;
  for (const auto& p : sweep.parameters) {
    result.columns.push_back(p.key);
    result.units.push_back(unit_of(p.key));
  }
  for (std::size_t p = 0; p < n_points; ++p) {
    result.points.insert(result.points.end(), values[p].begin(), values[p].end());
    result.seeds.insert(result.seeds.end(), points[p].seeds.begin(), points[p].seeds.end());
  }
  std::vector<sim::SummaryRange> ranges;
  for (const models::MetricSpec& m : models::kMetrics) ranges.push_back({m.lo, m.hi});
  const std::vector<double> ssp_ages = base.assessment.strange_situation_months;
  // `result` is the sweep's layout; points compute into one-point slabs that go straight to
  // their checkpoint files, and the results file is assembled from those (memory bounded in
  // points as well as dyads).
  for (const models::ArmSpec& arm : base.arms) {
    sim::SweepArmResult a;
    a.name = arm.name;
    for (std::size_t k = 0; k < n_records; ++k) {
      a.time_days.push_back(base.record_stride_days * static_cast<double>(k + 1));
    }
    for (const models::MetricSpec& m : models::kMetrics) {
      a.metric_info.push_back(
          {std::string(m.name), std::string(m.units), std::string(m.description)});
    }
    if (sweep.dyad_stride > 0) {
      const auto stride = static_cast<std::size_t>(sweep.dyad_stride);
      a.dyad_stride = sweep.dyad_stride;
      a.kept_dyads = (static_cast<std::size_t>(base.dyads) + stride - 1) / stride;
    }
    for (const double age : ssp_ages) {
      a.shares.push_back(
          {"ssp/age_" + models::age_label(age) + "/class_share", models::kClassCodes, 4, {}});
    }
    result.arms.push_back(std::move(a));
  }

  // Points finished by an earlier, interrupted run.
  std::string finished_before(n_points, '0');  // '1': checkpointed by an earlier run
  if (options.resume) {
    on_root([&] {
      for (std::size_t p = 0; p < n_points; ++p) {
        const auto bytes = sim::read_whole_file(parts + "/" + part_name(p));
        sim::SweepResult check = sim::sweep_slab(result, 1);
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
    cost[p] = done[p] ? 0.0 : point_cost[p];
  }
  const std::vector<int> owner = deal_points(cost, ranks);
  double total_days = 0.0;  // this process's share
  for (std::size_t p = 0; p < n_points; ++p) total_days += owner[p] == rank ? cost[p] : 0.0;
  sim::ParallelOptions parallel;
  parallel.threads = options.threads;
  const StopOnSignal stop_on_signal;
  const auto start = std::chrono::steady_clock::now();
  {
    sim::ProgressBar bar(static_cast<std::uint64_t>(total_days), "sweeping",
                         sim::ProgressBar::mode_for(!options.progress || rank != 0));
    tbb::task_arena arena(parallel.threads > 0 ? parallel.threads : tbb::task_arena::automatic);
    // Points run concurrently (and each point's dyads in parallel within it, in the same arena):
    // a point fills its own one-point slab and writes its own checkpoint, so the results do not
    // depend on the order in which points finish.
    sim::ParallelOptions inner;  // threads 0: the arena's
    inner.grain = parallel.grain;
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
      sim::SweepResult one = sim::sweep_slab(result, 1);  // this point's slice, slot 0
      for (std::size_t r = 0; r < reps; ++r) {
        const models::ScenarioSpec spec = point_spec(doc, document.source, points[p], p, r);
        for (std::size_t a = 0; a < spec.arms.size(); ++a) {
          sim::SweepArmResult& out = one.arms[a];
          sim::SummaryAccumulator acc(ranges, n_records);
          std::vector<std::array<double, 5>> class_counts(ssp_ages.size());  // A, B, C, D, n
          const models::ArmOutputs outputs = models::arm_outputs(spec, a);
          const auto g = static_cast<std::size_t>(spec.arms[a].group_size());
          const std::size_t block = kBlockDyads - kBlockDyads % g;
          const auto n_dyads = static_cast<std::size_t>(spec.dyads);
          for (std::size_t first = 0; first < n_dyads; first += block) {
            const std::size_t count = std::min(block, n_dyads - first);
            const sim::ArmResult chunk = models::run_arm_block(spec, a, first, count, inner);
            acc.add(chunk.metrics);
            if (out.kept_dyads > 0) {  // every stride-th dyad of the arm, by its index
              const auto stride = static_cast<std::size_t>(out.dyad_stride);
              for (std::size_t d = (first + stride - 1) / stride * stride; d < first + count;
                   d += stride) {
                for (std::size_t m = 0; m < models::kNumMetrics; ++m) {
                  const float* row = chunk.metrics.row(m, d - first);
                  std::copy(
                      row, row + n_records,
                      out.dyad_rows[m].data() + ((r * out.kept_dyads) + d / stride) * n_records);
                }
              }
            }
            for (std::size_t s = 0; s < ssp_ages.size(); ++s) {
              const std::int8_t* cls = outputs.ssp[s].attachment_class.in(chunk);
              for (std::size_t d = 0; d < count; ++d) {
                const std::int8_t c = cls[d];
                if (c < 0 || c > 3) continue;  // not assessed
                class_counts[s][static_cast<std::size_t>(c)] += 1.0;
                class_counts[s][4] += 1.0;
              }
            }
            point_counters[p].events += chunk.counters.events;
            point_counters[p].draws += chunk.counters.draws;
            point_counters[p].dyad_days += chunk.counters.dyad_days;
            bar.advance(static_cast<std::uint64_t>(chunk.counters.dyad_days));
            if (g_stop_signal != 0) {  // finish this block, keep the finished points, stop
              stopped.store(true, std::memory_order_relaxed);
              return;
            }
          }
          const std::size_t cell = r * n_records;
          for (std::size_t m = 0; m < models::kNumMetrics; ++m) {
            for (std::size_t k = 0; k < n_records; ++k) {
              const sim::StreamedSummary s = acc.summary(m, k);
              const double stat[5] = {s.mean, s.sd, s.p10, s.p50, s.p90};
              for (std::size_t i = 0; i < 5; ++i) out.stats[m][i][cell + k] = stat[i];
              out.clamped[m][cell + k] = s.clamped;
            }
          }
          for (std::size_t s = 0; s < ssp_ages.size(); ++s) {
            const double n = class_counts[s][4];
            for (std::size_t c = 0; c < 4; ++c) {
              out.shares[s].values[r * 4 + c] =
                  n > 0.0 ? class_counts[s][c] / n : std::numeric_limits<double>::quiet_NaN();
            }
          }
        }
      }
      // Not fsynced: a part torn by a power loss fails its checksum and the point is rerun.
      sim::write_file_atomically(parts + "/" + part_name(p),
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
      throw std::logic_error("run_sweep: not every point ran");
    }
    for (const sim::RunCounters& c : point_counters) {  // summed in point order
      result.counters.events += c.events;
      result.counters.draws += c.draws;
      result.counters.dyad_days += c.dyad_days;
    }
    result.counters.events = sim::distributed::sum(result.counters.events);
    result.counters.draws = sim::distributed::sum(result.counters.draws);
    result.counters.dyad_days = sim::distributed::sum(result.counters.dyad_days);
    // mpirun forwards a signal to every process; one that ran out of points stops with the rest.
    const bool any_stopped = sim::distributed::any(stopped.load());
    const auto n_finished =
        sim::distributed::sum(static_cast<std::uint64_t>(finished.load() - n_done)) + n_done;
    if (any_stopped) {
      bar.finish();
      const int signal = g_stop_signal != 0 ? static_cast<int>(g_stop_signal) : SIGTERM;
      if (rank == 0) {
        std::cerr << "attachsim: stopped by signal " << signal << " after " << n_finished << " of "
                  << n_points << " points; the finished points are kept in " << parts
                  << "/. Continue with: " << resume_hint << " --resume\n";
      }
      return 128 + signal;
    }
    bar.finish();
  }
  const auto simulated = std::chrono::steady_clock::now();
  const double simulate_seconds =
      sim::distributed::max(std::chrono::duration<double>(simulated - start).count());
  // Assembled from the checkpoints, a batch of points at a time, by rank 0 once every process has
  // written its points' checkpoints.
  sim::distributed::barrier();
  on_root([&] {
    sim::write_sweep(options.output, result,
                     [&](std::size_t first, std::size_t n, sim::SweepResult& slab) {
                       for (std::size_t i = 0; i < n; ++i) {
                         const std::string part = parts + "/" + part_name(first + i);
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
  if (rank != 0) return 0;
  const double write_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - simulated).count();
  const int threads = parallel.threads > 0 ? parallel.threads
                                           : static_cast<int>(std::thread::hardware_concurrency());
  std::ostringstream line;
  line << std::fixed << std::setprecision(0) << "swept " << n_points << " points x " << reps
       << " replicate(s): " << result.counters.dyad_days << " dyad-days in " << std::setprecision(2)
       << simulate_seconds << " s on "
       << (ranks > 1 ? std::to_string(ranks) + " processes x " : std::string()) << threads
       << " thread(s): " << std::setprecision(0) << result.counters.dyad_days / simulate_seconds
       << " dyad-days/s; wrote " << options.output << " in " << std::setprecision(2)
       << write_seconds << " s";
  std::cout << wrapped(line.str(), "", "  ") << "\n";
  return inspect_command(options.output, std::cout);
}

}  // namespace attachsim::cli
