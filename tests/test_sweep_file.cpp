// Unit tests of sim/sweep_file: the sweep results file read back by its one reader, and refused
// whole, naming the file and the dataset, when anything in it is inconsistent (issues 14, 15).
#include <gtest/gtest.h>
#include <hdf5.h>
#include <sys/stat.h>

#include <functional>
#include <string>
#include <vector>

#include "sim/errors.hpp"
#include "sim/h5.hpp"
#include "sim/results_file.hpp"
#include "sim/sweep_file.hpp"
#include "tests/file_examples.hpp"
#include "tests/test_support.hpp"

namespace attachsim::sim {
namespace {

using testing::example_value;

using testing::expect_input_error_holding;

TEST(SweepFile, ReadsBackWhatWasWritten) {
  testing::TempDir dir;
  const std::string path = dir.file("sweep.h5");
  testing::write_example_sweep(path);
  const SweepFile file = read_sweep_file(path);
  const SweepResult layout = testing::example_sweep_layout();
  EXPECT_EQ(file.design, "grid");
  EXPECT_EQ(file.n_points, 6u);
  EXPECT_EQ(file.replicates, 2u);
  EXPECT_EQ(file.columns, layout.columns);
  EXPECT_EQ(file.units, layout.units);
  EXPECT_EQ(file.points, layout.points);
  EXPECT_EQ(file.seeds, layout.seeds);
  EXPECT_EQ(file.provenance.command_line, layout.provenance.command_line);
  EXPECT_EQ(file.schema_version, kSchemaVersion);
  ASSERT_EQ(file.arms.size(), 2u);
  const SweepFileArm& arm = sweep_arm(file, "no-repair");
  EXPECT_EQ(arm.time_days, (std::vector<double>{7.0, 14.0, 21.0}));
  EXPECT_EQ(arm.metrics, (std::vector<std::string>{"trust", "distress"}));
  EXPECT_EQ(arm.kept_dyads, 0u);
  EXPECT_EQ(file.arms[0].kept_dyads, 2u);
  EXPECT_EQ(file.arms[0].dyad_stride, 20);
  ASSERT_EQ(arm.shares.size(), 2u);
  EXPECT_EQ(arm.shares[0].path, "ssp/age_12mo/class_share");
  ASSERT_EQ(arm.shares[1].codes.size(), 3u);
  EXPECT_EQ(arm.shares[1].codes[0].label, "C");  // the codes' own order: the last axis's
  EXPECT_EQ(arm.shares[1].codes[0].value, 2);
  // The per-point arrays: [points][replicates][records or codes], value = example_value(arm,
  // array, point, index within the point).
  const std::vector<double> p50 = read_sweep_summary(file, arm, "distress", "p50");
  ASSERT_EQ(p50.size(), 6u * 2u * 3u);
  for (std::size_t p = 0; p < 6; ++p) {
    for (std::size_t j = 0; j < 6; ++j) EXPECT_EQ(p50[p * 6 + j], example_value(1, 13, p, j));
  }
  const std::vector<double> shares = read_sweep_shares(file, arm, arm.shares[1]);
  ASSERT_EQ(shares.size(), 6u * 2u * 3u);
  EXPECT_EQ(shares[5 * 6 + 4], example_value(1, 61, 5, 4));
  expect_input_error_holding([&] { (void)read_sweep_summary(file, arm, "hunger", "mean"); },
                             {"no metric 'hunger'", "trust, distress"});
  expect_input_error_holding([&] { (void)read_sweep_summary(file, arm, "trust", "p99"); },
                             {"allowed: mean, sd, p10, p50, p90"});
  expect_input_error_holding([&] { (void)sweep_arm(file, "z"); }, {"no arm 'z'", "repair"});
}

TEST(SweepFile, StoredAnalysisIsRead) {
  testing::TempDir dir;
  const std::string path = dir.file("sweep.h5");
  testing::write_example_sweep(path);
  AnalysisResult r;
  r.name = "class_B";
  r.description = "share secure";
  r.indices.first = {0.5, 0.1};
  r.indices.total = {0.6, 0.2};
  r.indices.first_ci = {{0.4, 0.6}, {0.0, 0.2}};
  r.indices.total_ci = {{0.5, 0.7}, {0.1, 0.3}};
  write_analysis(path, testing::example_sweep_layout().columns, {r}, 100);
  const SweepFile file = read_sweep_file(path);
  ASSERT_EQ(file.analysis.size(), 1u);
  EXPECT_EQ(file.analysis[0].name, "class_B");
  EXPECT_EQ(file.analysis[0].total, r.indices.total);
  EXPECT_EQ(file.analysis[0].first_ci[1][1], 0.2);
}

// Each way of damaging the file is refused before anything is used, naming the file and what is
// wrong; none is read out of bounds (the reader's fuzz target, fuzz/results_fuzzer.cpp, looks for
// more under ASan).
TEST(SweepFile, InconsistentFilesAreRefusedNamingTheDataset) {
  testing::TempDir dir;
  const std::string good = dir.file("good.h5");
  testing::write_example_sweep(good);
  using h5::Object;
  struct Case {
    std::string name;
    std::function<void(const Object&)> damage;
    std::string fragment;
  };
  const std::vector<Case> cases = {
      {"points.h5",
       [](const Object& f) { h5::write_int_attribute(h5::open_group(f, "sweep"), "n_points", 7); },
       "'/sweep/points' has shape [6, 2], expected [7, 2]"},
      {"huge.h5",
       [](const Object& f) {
         h5::write_int_attribute(h5::open_group(f, "sweep"), "n_points", 1'000'000'000'000);
       },
       "n_points is 1000000000000; allowed: 1 to"},
      {"reps.h5",
       [](const Object& f) {
         h5::write_int_attribute(h5::open_group(f, "sweep"), "replicates", 0);
       },
       "replicates is 0"},
      {"design.h5",
       [](const Object& f) {
         h5::write_string_attribute(h5::open_group(f, "sweep"), "design", "random");
       },
       "design 'random'"},
      {"columns.h5",
       [](const Object& f) {
         const Object points = h5::open_dataset(h5::open_group(f, "sweep"), "points");
         h5::write_string_attribute(points, "columns", "a,b,c");
         h5::write_string_attribute(points, "units", ",,");
       },
       "'/sweep/points' has shape [6, 2], expected [6, 3]"},
      {"seeds.h5",
       [](const Object& f) {
         const Object sweep = h5::open_group(f, "sweep");
         h5::remove_link(sweep, "seeds");
         const std::vector<std::uint64_t> one = {1};
         const std::size_t shape[1] = {1};
         h5::write_uint64_array(sweep, "seeds", one, shape);
       },
       "'/sweep/seeds' has shape [1], expected [6, 2]"},
      {"stat.h5",
       [](const Object& f) {
         h5::remove_link(h5::open_group(f, "sweep/arms/repair/summary/trust"), "p90");
       },
       "'/sweep/arms/repair/summary/trust/p90' is missing"},
      {"time.h5",
       [](const Object& f) {
         const Object arm = h5::open_group(f, "sweep/arms/repair");
         h5::remove_link(arm, "time_days");
         h5::write_vector(arm, "time_days", std::vector<double>{7.0, 14.0});
       },
       "'/sweep/arms/repair/summary/trust/mean' has shape [6, 2, 3], expected [6, 2, 2]"},
      {"codes.h5",
       [](const Object& f) {
         h5::write_string_attribute(
             h5::open_dataset(f, "sweep/arms/repair/ssp/age_12mo/class_share"), "codes",
             "0=A,1=B,2=C");
       },
       "'/sweep/arms/repair/ssp/age_12mo/class_share' has shape [6, 2, 4], expected [6, 2, 3]"},
      {"badcodes.h5",
       [](const Object& f) {
         h5::write_string_attribute(
             h5::open_dataset(f, "sweep/arms/repair/ssp/age_12mo/class_share"), "codes", "A,B");
       },
       "is not a list of value=label"},
      {"kept.h5",
       [](const Object& f) {
         h5::write_int_attribute(h5::open_group(f, "sweep/arms/repair/dyads"), "dyad_stride", 0);
       },
       "dyad_stride 0"},
      {"noarms.h5",
       [](const Object& f) {
         const Object arms = h5::open_group(f, "sweep/arms");
         for (const std::string& arm : h5::children(arms)) h5::remove_link(arms, arm);
       },
       "'/sweep/arms' holds no arm"},
      {"loop.h5",
       [](const Object& f) {
         const Object ssp = h5::open_group(f, "sweep/arms/repair/ssp");
         ASSERT_GE(H5Lcreate_hard(ssp.id(), ".", ssp.id(), "loop", H5P_DEFAULT, H5P_DEFAULT), 0);
       },
       "linked into itself"},
      {"schema.h5",
       [](const Object& f) { h5::write_int_attribute(f, "schema_version", kSchemaVersion + 1); },
       "use a newer attachsim"},
      {"analysis.h5",
       [](const Object& f) {
         const Object g = h5::create_group(h5::create_group(f, "analysis"), "class_B");
         h5::write_vector(g, "first_order", std::vector<double>{0.1});
       },
       "'/analysis/class_B/first_order' has shape [1], expected [2]"},
  };
  for (const Case& c : cases) {
    const std::string path = dir.file(c.name);
    std::filesystem::copy_file(good, path);
    c.damage(h5::open_file_rw(path));
    expect_input_error_holding([&] { (void)read_sweep_file(path); }, {c.name, c.fragment});
  }
}

TEST(SweepFile, OnlyRegularSweepFilesAreRead) {
  testing::TempDir dir;
  ASSERT_EQ(::mkfifo(dir.file("pipe.h5").c_str(), 0644), 0);
  EXPECT_FALSE(is_sweep_file(dir.file("pipe.h5")));
  expect_input_error_holding([&] { (void)read_sweep_file(dir.file("pipe.h5")); }, {"a FIFO"});
  expect_input_error_holding([&] { (void)read_sweep_file(dir.file("none.h5")); }, {"no such file"});
  RunResult run;
  run.provenance.version = "0.1.0";
  write_results(dir.file("run.h5"), run);
  EXPECT_FALSE(is_sweep_file(dir.file("run.h5")));
  expect_input_error_holding([&] { (void)read_sweep_file(dir.file("run.h5")); },
                             {"run.h5", "the results of a run, not a sweep"});
  testing::write_example_sweep(dir.file("sweep.h5"));
  EXPECT_TRUE(is_sweep_file(dir.file("sweep.h5")));
  expect_input_error_holding([&] { (void)read_summary(dir.file("sweep.h5")); },
                             {"the results of a sweep, not of a run"});
}

}  // namespace
}  // namespace attachsim::sim
