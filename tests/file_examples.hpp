// Small, valid results files for the readers' tests and their fuzz target
// (fuzz/results_fuzzer.cpp).
//
// A run's results: two arms of a few dyads with metrics, a parameter and model-declared datasets
// (a class-coded int8 and a two-column float32). A sweep's: 6 points of 2
// parameters x 2 replicates, two arms of 3 records with two metrics, a four-class and a
// three-class share (codes listed out of order in the second), and kept dyads in the first arm.
// Every per-point value is a known function of its position, so a reader's output can be
// checked exactly.
#pragma once

#include <cstddef>
#include <string>

#include "sim/results.hpp"
#include "sim/results_file.hpp"
#include "sim/sweep_file.hpp"

namespace attachsim::testing {

inline double example_value(std::size_t arm, std::size_t array, std::size_t point,
                            std::size_t index) {
  return static_cast<double>(arm) * 1000.0 + static_cast<double>(array) * 100.0 +
         static_cast<double>(point) + static_cast<double>(index) / 64.0;
}

inline sim::SweepResult example_sweep_layout() {
  sim::SweepResult layout;
  layout.provenance = {"0.1.0",
                       "2026-12-01T00:00:00Z",
                       7,
                       "attachsim run example.toml",
                       "[scenario]\nname = \"example\"\ndyads = 40\n",
                       "test",
                       "Test"};
  layout.design = "grid";
  layout.samples = 0;
  layout.replicates = 2;
  layout.n_points = 6;
  layout.columns = {"population.responsiveness.mean", "child.max_bids"};
  layout.units = {"probability", "bids"};
  for (std::size_t p = 0; p < layout.n_points; ++p) {
    layout.points.push_back(0.3 + 0.3 * static_cast<double>(p % 3));
    layout.points.push_back(static_cast<double>(2 + p / 3));
    for (std::size_t r = 0; r < 2; ++r) layout.seeds.push_back(100 * p + r);
  }
  for (std::size_t a = 0; a < 2; ++a) {
    sim::SweepArmResult arm;
    arm.name = a == 0 ? "repair" : "no-repair";
    arm.time_days = {7.0, 14.0, 21.0};
    arm.metric_info = {{"trust", "probability", "trust in the caregiver"},
                       {"distress", "share", "share of time distressed"}};
    arm.shares.push_back({"ssp/age_12mo/class_share", "0=A,1=B,2=C,3=D", 4, {}});
    arm.shares.push_back({"ssp/age_12mo/abc_class_share", "2=C,0=A,1=B", 3, {}});
    if (a == 0) {
      arm.kept_dyads = 2;
      arm.dyad_stride = 20;
    }
    layout.arms.push_back(std::move(arm));
  }
  return layout;
}

// Fills the slab's points [first, first + n) with example_value: array 0-4 the statistics, 5 the
// clamp counts, 6 and up the shares, then the kept dyads.
inline void example_sweep_batch(std::size_t first, std::size_t n, sim::SweepResult& slab) {
  for (std::size_t a = 0; a < slab.arms.size(); ++a) {
    sim::SweepArmResult& arm = slab.arms[a];
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t m = 0; m < arm.stats.size(); ++m) {
        for (std::size_t s = 0; s < 5; ++s) {
          auto& v = arm.stats[m][s];
          const std::size_t per = v.size() / n;
          for (std::size_t j = 0; j < per; ++j) {
            v[i * per + j] = example_value(a, 10 * m + s, first + i, j);
          }
        }
        auto& c = arm.clamped[m];
        const std::size_t per = c.size() / n;
        for (std::size_t j = 0; j < per; ++j) c[i * per + j] = static_cast<std::int64_t>(j);
      }
      for (std::size_t s = 0; s < arm.shares.size(); ++s) {
        auto& v = arm.shares[s].values;
        const std::size_t per = v.size() / n;
        for (std::size_t j = 0; j < per; ++j)
          v[i * per + j] = example_value(a, 60 + s, first + i, j);
      }
      for (auto& rows : arm.dyad_rows) {
        const std::size_t per = rows.size() / n;
        for (std::size_t j = 0; j < per; ++j) {
          rows[i * per + j] = static_cast<float>(example_value(a, 80, first + i, j));
        }
      }
    }
  }
}

inline sim::RunResult example_run_result() {
  sim::RunResult result;
  result.provenance = {"0.1.0",
                       "2026-12-01T00:00:00Z",
                       7,
                       "attachsim run example.toml",
                       "[scenario]\nname = \"example\"\n",
                       "test",
                       "Test"};
  for (std::size_t a = 0; a < 2; ++a) {
    sim::ArmResult arm;
    arm.name = a == 0 ? "example.repair" : "example.no-repair";
    arm.scenario = "example";
    arm.arm = a == 0 ? "repair" : "no-repair";
    arm.description = "an example arm";
    arm.seed = 7 + a;
    const std::size_t dyads = 4, records = 3;
    arm.time_days = {7.0, 14.0, 21.0};
    arm.metric_info = {{"trust", "probability", "trust in the caregiver"},
                       {"distress", "share", "share of time distressed"}};
    arm.metrics = sim::MetricTable(2, dyads, records);
    for (std::size_t m = 0; m < 2; ++m) {
      for (std::size_t d = 0; d < dyads; ++d) {
        for (std::size_t r = 0; r < records; ++r) {
          arm.metrics.row(m, d)[r] = static_cast<float>(example_value(a, m, d, r));
        }
      }
    }
    sim::ParamColumn responsiveness{{"responsiveness", "probability", "drawn responsiveness"}, {}};
    for (std::size_t d = 0; d < dyads; ++d) responsiveness.values.push_back(0.2 * double(d));
    arm.params.push_back(responsiveness);
    arm.extra = {
        {"ssp/age_12mo/class",
         {"class", "class code", "virtual Strange Situation classification"},
         {dyads},
         std::vector<std::int8_t>{0, 1, 3, -1},
         {{"codes", "0=A,1=B,2=C,3=D"}}},
        {"ssp/age_12mo/avoidance",
         {"avoidance", "1-7 scale", "avoidance in the two reunions"},
         {dyads, 2},
         std::vector<float>{1, 2, 3, 4, 5, 6, 7, 1},
         {{"columns", "reunion_1,reunion_2"}}},
    };
    result.arms.push_back(std::move(arm));
  }
  return result;
}

inline void write_example_sweep(const std::string& path) {
  sim::write_sweep(path, example_sweep_layout(), example_sweep_batch);
}

}  // namespace attachsim::testing
