// Reference tests: the parallel engine against a plain serial loop over the same dyads
// (differential testing), and bit-identical output files for 1, 2 and 8 threads.
#include <gtest/gtest.h>

#include "models/metrics.hpp"
#include "models/run.hpp"
#include "sim/config.hpp"
#include "sim/results_file.hpp"
#include "tests/test_support.hpp"

namespace attachsim {
namespace {

using testing::same_bits;

models::ScenarioSpec small_scenario() {
  const char* text = R"(
[scenario]
name = "reference"
seed = 7
dyads = 40
months = 3
[[arm]]
name = "a"
[[arm]]
name = "b"
[arm.population]
responsiveness = { mean = 0.3, sd = 0.1 }
rupture_rate = { mean = 0.3, sd = 0.1 }
[[arm]]
name = "figures"
population.presence = 0.3
[[arm.figure]]
name = "grandpa"
role = "grandparent"
weekdays = 2
[[arm.figure]]
name = "nursery"
role = "daycare"
weekdays = 3
group_size = 3
)";
  return models::scenario_from_toml(sim::load_toml_text(text, "ref.toml"), "ref.toml");
}

void expect_identical(const sim::ArmResult& a, const sim::ArmResult& b) {
  EXPECT_TRUE(same_bits(a.metrics.data(), b.metrics.data())) << a.name;
  ASSERT_EQ(a.params.size(), b.params.size());
  for (std::size_t i = 0; i < a.params.size(); ++i) {
    EXPECT_EQ(a.params[i].values, b.params[i].values) << a.params[i].info.name;
  }
  EXPECT_EQ(a.time_days, b.time_days);
  ASSERT_EQ(a.extra.size(), b.extra.size());
  for (std::size_t i = 0; i < a.extra.size(); ++i) {
    EXPECT_TRUE(same_bits(a.extra[i].data, b.extra[i].data)) << a.extra[i].path;
  }
  EXPECT_EQ(a.counters.events, b.counters.events);
  EXPECT_EQ(a.counters.draws, b.counters.draws);
}

TEST(Reference, ParallelEngineMatchesSerialLoopForAnyThreadCount) {
  const models::ScenarioSpec spec = small_scenario();
  for (std::size_t arm = 0; arm < spec.arms.size(); ++arm) {
    sim::ArmResult serial = models::make_arm_result(spec, arm);
    for (std::uint32_t d = 0; d < static_cast<std::uint32_t>(spec.dyads); ++d) {
      models::run_one_dyad(spec, arm, d, serial);
    }
    ASSERT_GT(serial.counters.events, 0u);
    for (const int threads : {1, 2, 8}) {
      for (const std::size_t grain : {std::size_t{1}, std::size_t{7}, std::size_t{64}}) {
        SCOPED_TRACE("threads " + std::to_string(threads) + ", grain " + std::to_string(grain));
        const sim::ArmResult parallel = models::run_arm(spec, arm, {threads, grain});
        expect_identical(serial, parallel);
      }
    }
  }
}

TEST(Reference, ArmsAndDyadsHaveIndependentStreams) {
  const models::ScenarioSpec spec = small_scenario();
  const sim::ArmResult a = models::run_arm(spec, 0, {2, 16});
  // Two dyads of one arm never share a trajectory (trust rows differ somewhere).
  const auto n = a.metrics.n_records();
  const float* d0 = a.metrics.row(models::kTrust, 0);
  const float* d1 = a.metrics.row(models::kTrust, 1);
  EXPECT_NE(std::vector<float>(d0, d0 + n), std::vector<float>(d1, d1 + n));
}

// The whole program, through files: same datasets bit for bit with 1, 2 and 8 threads.
TEST(Reference, OutputFilesAreBitIdenticalAcrossThreadCounts) {
  testing::TempDir dir;
  // The first-look scenario's arms, one of them with a second parent and a day-care group of 4.
  testing::write_file(dir.file("figures.toml"), R"(
[scenario]
seed = 11
dyads = 48
months = 3
[[arm]]
name = "plain"
[[arm]]
name = "figures"
population.presence = 0.4
[[arm.figure]]
name = "dad"
role = "parent"
population.presence = 0.5
[[arm.figure]]
name = "nursery"
role = "daycare"
group_size = 4
)");
  std::vector<sim::RunResult> results;
  for (const int threads : {1, 2, 8}) {
    // (built in steps: GCC 12 warns falsely on "literal" + std::string&&, -Wrestrict)
    std::string out = "t";
    out += std::to_string(threads) + ".h5";
    const auto r = testing::run_attachsim(
        dir, "run figures.toml --threads " + std::to_string(threads) + " -o " + out);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    results.push_back(sim::read_results(dir.file(out)));
  }
  for (std::size_t i = 1; i < results.size(); ++i) {
    const auto& a = results[0];
    const auto& b = results[i];
    EXPECT_EQ(a.provenance.config, b.provenance.config);
    EXPECT_EQ(a.provenance.seed, b.provenance.seed);
    ASSERT_EQ(a.arms.size(), b.arms.size());
    for (std::size_t k = 0; k < a.arms.size(); ++k) {
      EXPECT_EQ(a.arms[k].name, b.arms[k].name);
      EXPECT_TRUE(same_bits(a.arms[k].metrics.data(), b.arms[k].metrics.data())) << a.arms[k].name;
      for (std::size_t p = 0; p < a.arms[k].params.size(); ++p) {
        EXPECT_EQ(a.arms[k].params[p].values, b.arms[k].params[p].values);
      }
      ASSERT_EQ(a.arms[k].extra.size(), b.arms[k].extra.size());
      for (std::size_t x = 0; x < a.arms[k].extra.size(); ++x) {
        EXPECT_EQ(a.arms[k].extra[x].path, b.arms[k].extra[x].path);
        EXPECT_TRUE(same_bits(a.arms[k].extra[x].data, b.arms[k].extra[x].data))
            << a.arms[k].extra[x].path;
      }
    }
  }
}

// A sweep runs its points concurrently and each point's dyads in parallel: its datasets must be
// the same bit for bit for 1, 2 and 8 threads (compared with h5diff, HDF5's own tool). Includes a
// day-care arm, whose groups are the unit of work within a point.
TEST(Reference, SweepFilesAreBitIdenticalAcrossThreadCounts) {
  testing::TempDir dir;
  testing::write_file(dir.file("sweep.toml"), R"(
[scenario]
seed = 4
dyads = 30
months = 2
[[arm]]
name = "plain"
[[arm]]
name = "nursery"
population.presence = 0.3
[[arm.figure]]
name = "nursery"
role = "daycare"
group_size = 4
[sweep]
design = "lhs"
samples = 12
replicates = 2
[[sweep.parameter]]
key = "population.responsiveness.mean"
min = 0.3
max = 0.9
)");
  for (const int threads : {1, 2, 8}) {
    std::string out = "t";
    out += std::to_string(threads) + ".h5";
    const auto r = testing::run_attachsim(
        dir, "run sweep.toml --threads " + std::to_string(threads) + " -o " + out);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  for (const char* other : {"t2.h5", "t8.h5"}) {
    const std::string cmd =
        "cd '" + dir.path().string() + "' && h5diff -q t1.h5 " + other + " /sweep /sweep";
    EXPECT_EQ(std::system(cmd.c_str()), 0) << other;
  }
}

}  // namespace
}  // namespace attachsim
