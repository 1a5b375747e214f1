// Unit tests of sim/output (results file) and sim/h5 (the HDF5 wrappers).
#include <gtest/gtest.h>
#include <hdf5.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "apps/attachsim/inspect.hpp"
#include "sim/checkpoint.hpp"
#include "sim/errors.hpp"
#include "sim/files.hpp"
#include "sim/h5.hpp"
#include "sim/results.hpp"
#include "sim/results_file.hpp"
#include "sim/summary.hpp"
#include "tests/test_support.hpp"

namespace attachsim::sim {
namespace {

namespace fs = std::filesystem;
using testing::expect_input_error_holding;

constexpr float kNaNf = std::numeric_limits<float>::quiet_NaN();

// Bitwise equality, so NaN == NaN and -0 != +0.
void expect_same_bits(const std::vector<double>& actual, const std::vector<double>& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t i = 0; i < actual.size(); ++i) {
    EXPECT_EQ(std::bit_cast<std::uint64_t>(actual[i]), std::bit_cast<std::uint64_t>(expected[i]))
        << "at " << i << ": " << actual[i] << " vs " << expected[i];
  }
}

void expect_same_bits(const float* actual, const float* expected, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    EXPECT_EQ(std::bit_cast<std::uint32_t>(actual[i]), std::bit_cast<std::uint32_t>(expected[i]))
        << "at " << i << ": " << actual[i] << " vs " << expected[i];
  }
}

ArmResult make_arm(const std::string& name, std::size_t n_dyads, std::size_t n_records,
                   std::vector<ColumnInfo> metric_info, std::uint64_t seed) {
  ArmResult arm;
  arm.name = name;
  arm.scenario = "demo";
  arm.arm = name + "_arm";
  arm.description = "Caregivers for " + name + " — responsive ±10 % (UTF-8 text)";
  arm.seed = seed;
  for (std::size_t r = 0; r < n_records; ++r) arm.time_days.push_back(30.5 * double(r + 1));
  arm.metric_info = std::move(metric_info);
  arm.metrics = MetricTable(arm.metric_info.size(), n_dyads, n_records);
  for (std::size_t m = 0; m < arm.metric_info.size(); ++m) {
    for (std::size_t d = 0; d < n_dyads; ++d) {
      float* row = arm.metrics.row(m, d);
      for (std::size_t r = 0; r < n_records; ++r) {
        row[r] = 0.1f * float(m + 1) + float(d) / 3.0f + 0.25f * float(r);
      }
    }
  }
  ParamColumn sensitivity{{"sensitivity", "1", "maternal sensitivity on a 0-1 scale"}, {}};
  for (std::size_t d = 0; d < n_dyads; ++d) sensitivity.values.push_back(double(d + 1) / 3.0);
  arm.params.push_back(sensitivity);
  return arm;
}

// Two arms whose names are not in alphabetical order (the file must keep run order), different
// sizes, a NaN metric value and a NaN-only record.
RunResult make_result(std::uint64_t seed) {
  RunResult result;
  result.provenance = {"0.1.0-test",
                       "2025-01-02T03:04:05Z",
                       seed,
                       "attachsim run scenarios/demo.toml -o out.h5",
                       "[run]\nseed = " + std::to_string(seed) + "\n",
                       "0123456789ab",
                       "Release"};
  ArmResult first = make_arm("zeta_sensitive", 3, 4,
                             {{"secure_base", "fraction", "share of time using the caregiver"},
                              {"soothe_minutes", "minutes", "mean time to soothe"}},
                             seed + 1);
  first.metrics.row(1, 2)[0] = kNaNf;  // dyad 2 had no distress episode in record 0
  first.params.push_back({{"delay", "minutes", "response delay"}, {4.5, -0.0, 1e-300}});
  result.arms.push_back(std::move(first));
  ArmResult second = make_arm("alpha_insensitive", 2, 2, {{"crying", "minutes/day", "crying"}}, 7);
  for (std::size_t d = 0; d < 2; ++d) second.metrics.row(0, d)[1] = kNaNf;
  result.arms.push_back(std::move(second));
  return result;
}

class OutputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("attachsim-test-output-" + std::to_string(::getpid()) + "-" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  std::vector<std::string> temp_files() const {
    std::vector<std::string> found;
    for (const auto& entry : fs::directory_iterator(dir_)) {
      if (entry.path().filename().string().find(".tmp") != std::string::npos) {
        found.push_back(entry.path().string());
      }
    }
    return found;
  }

  fs::path dir_;
};

// Visits every dataset under `group`, checking units and description; returns how many.
int check_dataset_attributes(const h5::Object& group, const std::string& where) {
  int count = 0;
  for (const std::string& name : h5::children(group)) {
    const std::string path = where + "/" + name;
    if (h5::kind(group, name) == h5::Kind::kGroup) {
      count += check_dataset_attributes(h5::open_group(group, name), path);
      continue;
    }
    const h5::Object dataset = h5::open_dataset(group, name);
    EXPECT_TRUE(h5::has_attribute(dataset, "units")) << path;
    EXPECT_TRUE(h5::has_attribute(dataset, "description")) << path;
    if (h5::has_attribute(dataset, "description")) {
      EXPECT_FALSE(h5::read_string_attribute(dataset, "description").empty()) << path;
    }
    ++count;
  }
  return count;
}

void expect_same_result(const RunResult& actual, const RunResult& expected) {
  EXPECT_EQ(actual.provenance.version, expected.provenance.version);
  EXPECT_EQ(actual.provenance.created_utc, expected.provenance.created_utc);
  EXPECT_EQ(actual.provenance.seed, expected.provenance.seed);
  EXPECT_EQ(actual.provenance.command_line, expected.provenance.command_line);
  EXPECT_EQ(actual.provenance.config, expected.provenance.config);
  ASSERT_EQ(actual.arms.size(), expected.arms.size());
  for (std::size_t a = 0; a < actual.arms.size(); ++a) {
    const ArmResult& x = actual.arms[a];
    const ArmResult& y = expected.arms[a];
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.scenario, y.scenario);
    EXPECT_EQ(x.arm, y.arm);
    EXPECT_EQ(x.description, y.description);
    EXPECT_EQ(x.seed, y.seed);
    expect_same_bits(x.time_days, y.time_days);
    ASSERT_EQ(x.params.size(), y.params.size());
    for (std::size_t p = 0; p < x.params.size(); ++p) {
      EXPECT_EQ(x.params[p].info.name, y.params[p].info.name);
      EXPECT_EQ(x.params[p].info.units, y.params[p].info.units);
      EXPECT_EQ(x.params[p].info.description, y.params[p].info.description);
      expect_same_bits(x.params[p].values, y.params[p].values);
    }
    ASSERT_EQ(x.metric_info.size(), y.metric_info.size());
    for (std::size_t m = 0; m < x.metric_info.size(); ++m) {
      EXPECT_EQ(x.metric_info[m].name, y.metric_info[m].name);
      EXPECT_EQ(x.metric_info[m].units, y.metric_info[m].units);
      EXPECT_EQ(x.metric_info[m].description, y.metric_info[m].description);
    }
    ASSERT_EQ(x.metrics.n_metrics(), y.metrics.n_metrics());
    ASSERT_EQ(x.metrics.n_dyads(), y.metrics.n_dyads());
    ASSERT_EQ(x.metrics.n_records(), y.metrics.n_records());
    expect_same_bits(x.metrics.data().data(), y.metrics.data().data(), y.metrics.data().size());
    ASSERT_EQ(x.extra.size(), y.extra.size());
    for (std::size_t e = 0; e < x.extra.size(); ++e) {
      const ExtraDataset& u = x.extra[e];
      const ExtraDataset& v = y.extra[e];
      SCOPED_TRACE(v.path);
      EXPECT_EQ(u.path, v.path);
      EXPECT_EQ(u.info.name, v.path.substr(v.path.rfind('/') + 1));  // not stored: last segment
      EXPECT_EQ(u.info.units, v.info.units);
      EXPECT_EQ(u.info.description, v.info.description);
      EXPECT_EQ(u.shape, v.shape);
      EXPECT_EQ(u.string_attributes, v.string_attributes);
      ASSERT_EQ(u.data.index(), v.data.index());
      if (const auto* floats = std::get_if<std::vector<float>>(&v.data)) {
        const auto& read = std::get<std::vector<float>>(u.data);
        ASSERT_EQ(read.size(), floats->size());
        expect_same_bits(read.data(), floats->data(), floats->size());
      } else {
        EXPECT_EQ(std::get<std::vector<std::int8_t>>(u.data),
                  std::get<std::vector<std::int8_t>>(v.data));
      }
    }
  }
}

constexpr const char* kCodes = "0=A,1=B,2=C,3=D";

// make_result plus model-declared datasets: int8 with codes, float32 1-D and 2-D with NaN, nested
// and top-level paths, in both arms (3 and 2 dyads).
RunResult make_result_with_extras(std::uint64_t seed) {
  RunResult result = make_result(seed);
  result.arms[0].extra = {
      {"ssp/age_12mo/class",
       {"class", "category", "virtual Strange Situation classification"},
       {3},
       std::vector<std::int8_t>{0, 1, 3},
       {{"codes", kCodes}, {"instrument", "virtual Strange Situation"}}},
      {"ssp/age_12mo/reunion_distress",
       {"", "share", "share of the reunion episodes spent distressed"},
       {3},
       std::vector<float>{0.5f, kNaNf, -0.0f},
       {}},
      {"observed/sensitivity",
       {"sensitivity", "1-9 scale", "observed sensitivity per visit"},
       {3, 4},
       std::vector<float>{1, 2, 3, 4, 5, kNaNf, 7, 8, 9, 9.5f, 1e-30f, -1},
       {{"visits_days", "91,182,273,365"}}},
  };
  result.arms[1].extra = {
      {"ssp/age_12mo/class",
       {"class", "category", "classification at three assessments"},
       {2, 3},
       std::vector<std::int8_t>{0, 1, 2, 3, -1, 127},
       {{"codes", kCodes}}},
      {"note", {"note", "1", "a top-level model dataset"}, {2}, std::vector<float>{kNaNf, 2}, {}},
  };
  return result;
}

TEST_F(OutputTest, RoundTripThroughReaderIsBitExact) {
  const RunResult written = make_result(42);
  write_results(path("out.h5"), written);
  expect_same_result(read_results(path("out.h5")), written);
  EXPECT_TRUE(temp_files().empty());
}

TEST_F(OutputTest, RawLayoutMatchesTheSchema) {
  const RunResult written = make_result(42);
  write_results(path("out.h5"), written);

  const h5::Object file = h5::open_file(path("out.h5"));
  EXPECT_EQ(h5::read_string_attribute(file, "attachsim_version"), "0.1.0-test");
  EXPECT_EQ(h5::read_int_attribute(file, "schema_version"), kSchemaVersion);
  EXPECT_EQ(h5::read_string_attribute(file, "created_utc"), "2025-01-02T03:04:05Z");
  EXPECT_EQ(h5::read_uint_attribute(file, "seed"), 42u);
  EXPECT_EQ(h5::read_string_attribute(file, "command_line"), written.provenance.command_line);
  EXPECT_EQ(h5::read_string_attribute(file, "config"), written.provenance.config);
  EXPECT_EQ(h5::read_string_attribute(file, "attachsim_build"), "0123456789ab");
  EXPECT_EQ(h5::read_string_attribute(file, "attachsim_build_type"), "Release");

  const h5::Object scenarios = h5::open_group(file, "scenarios");
  ASSERT_EQ(h5::children(scenarios),
            (std::vector<std::string>{"zeta_sensitive", "alpha_insensitive"}));
  for (const ArmResult& arm : written.arms) {
    SCOPED_TRACE(arm.name);
    const h5::Object group = h5::open_group(scenarios, arm.name);
    EXPECT_EQ(h5::read_string_attribute(group, "scenario"), arm.scenario);
    EXPECT_EQ(h5::read_string_attribute(group, "arm"), arm.arm);
    EXPECT_EQ(h5::read_string_attribute(group, "description"), arm.description);
    EXPECT_EQ(h5::read_uint_attribute(group, "seed"), arm.seed);
    const MetricTable& table = arm.metrics;
    EXPECT_EQ(h5::read_int_attribute(group, "n_dyads"), std::int64_t(table.n_dyads()));
    EXPECT_EQ(h5::read_int_attribute(group, "n_records"), std::int64_t(table.n_records()));
    expect_same_bits(h5::read_vector(group, "time_days"), arm.time_days);
    EXPECT_EQ(h5::read_string_attribute(h5::open_dataset(group, "time_days"), "units"), "days");

    const h5::Object params = h5::open_group(group, "params");
    for (const ParamColumn& param : arm.params) {
      expect_same_bits(h5::read_vector(params, param.info.name), param.values);
    }

    const h5::Object metrics = h5::open_group(group, "metrics");
    const h5::Object summaries = h5::open_group(group, "summary");
    for (std::size_t m = 0; m < table.n_metrics(); ++m) {
      const std::string& name = arm.metric_info[m].name;
      const h5::Matrix matrix = h5::read_matrix(metrics, name);
      ASSERT_EQ(matrix.rows, table.n_dyads());
      ASSERT_EQ(matrix.cols, table.n_records());
      expect_same_bits(matrix.values.data(), table.metric(m), matrix.values.size());

      const h5::Object dataset = h5::open_dataset(metrics, name);
      EXPECT_EQ(h5::read_string_attribute(dataset, "units"), arm.metric_info[m].units);
      const h5::Storage storage = h5::storage(dataset);
      EXPECT_EQ(storage.chunk, h5::matrix_chunk_shape(table.n_dyads(), table.n_records()));
      EXPECT_TRUE(storage.shuffle);
      EXPECT_EQ(storage.deflate_level, 4);

      const Summary expected = summarize(table.metric(m), table.n_dyads(), table.n_records());
      const h5::Object summary = h5::open_group(summaries, name);
      EXPECT_EQ(h5::children(summary),
                (std::vector<std::string>{"mean", "sd", "p10", "p50", "p90"}));
      expect_same_bits(h5::read_vector(summary, "mean"), expected.mean);
      expect_same_bits(h5::read_vector(summary, "sd"), expected.sd);
      expect_same_bits(h5::read_vector(summary, "p10"), expected.p10);
      expect_same_bits(h5::read_vector(summary, "p50"), expected.p50);
      expect_same_bits(h5::read_vector(summary, "p90"), expected.p90);
      EXPECT_EQ(h5::read_string_attribute(h5::open_dataset(summary, "sd"), "units"),
                arm.metric_info[m].units);
    }
  }
  // Per arm: time_days + params + metrics + 5 summaries per metric.
  EXPECT_EQ(check_dataset_attributes(file, ""), (1 + 2 + 2 + 5 * 2) + (1 + 1 + 1 + 5 * 1));
}

TEST_F(OutputTest, ReadSummaryGivesLastRecord) {
  const RunResult written = make_result(42);
  write_results(path("out.h5"), written);
  const FileSummary file = read_summary(path("out.h5"));
  EXPECT_EQ(file.schema_version, kSchemaVersion);
  EXPECT_EQ(file.provenance.seed, 42u);
  ASSERT_EQ(file.arms.size(), 2u);
  for (std::size_t a = 0; a < 2; ++a) {
    const ArmResult& arm = written.arms[a];
    const ArmOverview& overview = file.arms[a];
    EXPECT_EQ(overview.name, arm.name);
    EXPECT_EQ(overview.description, arm.description);
    EXPECT_EQ(overview.n_dyads, arm.metrics.n_dyads());
    EXPECT_EQ(overview.n_records, arm.metrics.n_records());
    expect_same_bits(overview.time_days, arm.time_days);
    ASSERT_EQ(overview.params.size(), arm.params.size());
    ASSERT_EQ(overview.metrics.size(), arm.metric_info.size());
    for (std::size_t m = 0; m < overview.metrics.size(); ++m) {
      const Summary s =
          summarize(arm.metrics.metric(m), arm.metrics.n_dyads(), arm.metrics.n_records());
      const MetricAtEnd& end = overview.metrics[m];
      EXPECT_EQ(end.info.units, arm.metric_info[m].units);
      expect_same_bits({end.mean, end.sd, end.p10, end.p50, end.p90},
                       {s.mean.back(), s.sd.back(), s.p10.back(), s.p50.back(), s.p90.back()});
    }
  }
  // The second arm's last record is NaN for every dyad.
  EXPECT_TRUE(std::isnan(file.arms[1].metrics[0].mean));
}

TEST(Summarize, MatchesHandComputedValues) {
  // 5 dyads x 3 records, row-major.
  const float n = kNaNf;
  const std::vector<float> data = {
      4, n, 50,  //
      2, 5, 20,  //
      1, n, 10,  //
      3, n, 40,  //
      n, n, 20,  //
  };
  const Summary s = summarize(data.data(), 5, 3);
  ASSERT_EQ(s.mean.size(), 3u);

  // Record 0: {4, 2, 1, 3} (the NaN is skipped), sorted 1 2 3 4, n = 4.
  // mean 2.5; squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5, sd = sqrt(5 / 3).
  // Type 7: h = (n - 1) p. p10: h = 0.3 -> 1 + 0.3 (2 - 1) = 1.3; p50: h = 1.5 -> 2.5;
  // p90: h = 2.7 -> 3 + 0.7 (4 - 3) = 3.7.
  EXPECT_DOUBLE_EQ(s.mean[0], 2.5);
  EXPECT_DOUBLE_EQ(s.sd[0], std::sqrt(5.0 / 3.0));
  EXPECT_DOUBLE_EQ(s.p10[0], 1.3);
  EXPECT_DOUBLE_EQ(s.p50[0], 2.5);
  EXPECT_DOUBLE_EQ(s.p90[0], 3.7);

  // Record 1: one value, 5: sd is 0 (not NaN) and every quantile is 5.
  EXPECT_EQ(s.mean[1], 5.0);
  EXPECT_EQ(s.sd[1], 0.0);
  EXPECT_EQ(s.p10[1], 5.0);
  EXPECT_EQ(s.p50[1], 5.0);
  EXPECT_EQ(s.p90[1], 5.0);

  // Record 2: {50, 20, 10, 40, 20}, sorted 10 20 20 40 50, n = 5, sum 140: mean 28.
  // Deviations -18 -8 -8 12 22, squares 324 + 64 + 64 + 144 + 484 = 1080, sd = sqrt(1080 / 4).
  // p10: h = 0.4 -> 10 + 0.4 (20 - 10) = 14; p50: h = 2 -> 20 (exactly the 3rd value);
  // p90: h = 3.6 -> 40 + 0.6 (50 - 40) = 46.
  EXPECT_DOUBLE_EQ(s.mean[2], 28.0);
  EXPECT_DOUBLE_EQ(s.sd[2], std::sqrt(270.0));
  EXPECT_DOUBLE_EQ(s.p10[2], 14.0);
  EXPECT_EQ(s.p50[2], 20.0);
  EXPECT_DOUBLE_EQ(s.p90[2], 46.0);
}

TEST(Summarize, AllNaNAndEmptyGiveNaN) {
  const std::vector<float> data = {kNaNf, 1.0f, kNaNf, 2.0f};  // 2 dyads x 2 records
  const Summary s = summarize(data.data(), 2, 2);
  for (const auto* stat : {&s.mean, &s.sd, &s.p10, &s.p50, &s.p90}) {
    EXPECT_TRUE(std::isnan((*stat)[0]));
    EXPECT_FALSE(std::isnan((*stat)[1]));
  }
  const Summary none = summarize(nullptr, 0, 3);
  ASSERT_EQ(none.mean.size(), 3u);
  EXPECT_TRUE(std::isnan(none.p90[2]));
  EXPECT_TRUE(summarize(nullptr, 4, 0).mean.empty());
}

TEST(Summarize, ManyRecordsAndDyadsAgreeWithSortedReference) {
  // More records than one gather block (16) and an order that is not sorted.
  const std::size_t n_dyads = 37, n_records = 41;
  std::vector<float> data(n_dyads * n_records);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = float((i * 7919) % 101) - 50.0f;
  const Summary s = summarize(data.data(), n_dyads, n_records);
  for (std::size_t r = 0; r < n_records; ++r) {
    std::vector<double> column;
    for (std::size_t d = 0; d < n_dyads; ++d) column.push_back(data[d * n_records + r]);
    std::sort(column.begin(), column.end());
    const auto type7 = [&](double p) {
      const double h = double(n_dyads - 1) * p;
      const std::size_t lo = std::size_t(h);
      return column[lo] + (h - double(lo)) * (column[lo + 1] - column[lo]);
    };
    EXPECT_NEAR(s.p10[r], type7(0.1), 1e-12);
    EXPECT_NEAR(s.p50[r], type7(0.5), 1e-12);
    EXPECT_NEAR(s.p90[r], type7(0.9), 1e-12);
  }
}

TEST_F(OutputTest, CheckOutputPathRejectsMissingDirectoryAndDirectories) {
  try {
    check_output_path(path("no-such-dir/out.h5"));
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("does not exist"), std::string::npos) << error.what();
  }
  try {
    check_output_path(dir_.string());
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("is a directory"), std::string::npos) << error.what();
  }
  EXPECT_THROW(check_output_path(""), InputError);
  EXPECT_NO_THROW(check_output_path(path("fine.h5")));
  EXPECT_TRUE(fs::is_empty(dir_)) << "the probe must leave nothing behind";
}

TEST_F(OutputTest, CheckOutputPathRefusesNonRegularFilesAndInputs) {
  auto expect_refused = [](const std::string& out, const std::vector<std::string>& inputs,
                           const std::string& fragment) {
    SCOPED_TRACE(out);
    expect_input_error_holding([&] { check_output_path(out, inputs); }, {fragment});
  };
  expect_refused("/dev/null", {}, "a character device");
  EXPECT_TRUE(fs::is_character_file("/dev/null"));
  ASSERT_EQ(::mkfifo(path("pipe").c_str(), 0644), 0);
  expect_refused(path("pipe"), {}, "a FIFO");
  std::ofstream(path("in.toml")) << "x = 1\n";
  expect_refused(path("in.toml"), {path("in.toml")}, "it is the input");
  fs::create_symlink(path("in.toml"), path("alias.toml"));  // the same file by another name
  expect_refused(path("alias.toml"), {path("in.toml")}, "it is the input");
  EXPECT_NO_THROW(check_output_path(path("other.h5"), {path("in.toml")}));
}

// A link planted at the temporary name (<out>.tmp-<pid>, predictable) is removed, never followed:
// its target keeps its contents, and the results land at the output path.
TEST_F(OutputTest, PlantedLinkAtTheTemporaryNameIsNotFollowed) {
  std::ofstream(path("victim")) << "keep me";
  fs::create_symlink(path("victim"), temp_name(path("out.h5")));
  EXPECT_NO_THROW(check_output_path(path("out.h5")));
  EXPECT_FALSE(fs::exists(fs::symlink_status(temp_name(path("out.h5")))));
  fs::create_symlink(path("victim"), temp_name(path("out.h5")));  // planted again before writing
  write_results(path("out.h5"), make_result(3));
  EXPECT_EQ(read_summary(path("out.h5")).provenance.seed, 3u);
  std::ifstream victim(path("victim"));
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(victim), {}), "keep me");
  EXPECT_TRUE(temp_files().empty());
}

// Temporary files of killed runs (their process gone) are removed; a live process's, another
// output's and directories are not.
TEST_F(OutputTest, StaleTemporariesOfDeadProcessesAreRemoved) {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ASSERT_GT(child, 0);
  ::waitpid(child, nullptr, 0);  // now a pid with no process (not reused this soon)
  const std::string dead = std::to_string(child);
  std::ofstream(path("out.h5.tmp-" + dead)) << "stale";
  std::ofstream(path("out.h5.tmp-" + std::to_string(::getpid()))) << "live";
  std::ofstream(path("other.h5.tmp-" + dead)) << "another output's";
  fs::create_directory(path("out.h5.parts"));
  std::ofstream(path("out.h5.parts/point-3.bin.tmp-" + dead)) << "stale checkpoint";
  std::ofstream(path("out.h5.parts/point-4.bin")) << "a checkpoint";
  EXPECT_EQ(remove_stale_temporaries(path("out.h5")), 1u);
  EXPECT_FALSE(fs::exists(path("out.h5.tmp-" + dead)));
  EXPECT_TRUE(fs::exists(path("out.h5.tmp-" + std::to_string(::getpid()))));
  EXPECT_TRUE(fs::exists(path("other.h5.tmp-" + dead)));
  EXPECT_EQ(remove_stale_temporaries(path("out.h5.parts")), 1u);
  EXPECT_FALSE(fs::exists(path("out.h5.parts/point-3.bin.tmp-" + dead)));
  EXPECT_TRUE(fs::exists(path("out.h5.parts/point-4.bin")));
}

// A sweep's checkpoint directory belongs to one process at a time (issue 14): while one runs it,
// neither a second start nor a --resume may share it; once it has stopped, --resume takes it over
// and a plain start says that an interrupted run is waiting. (flock(2) locks conflict between two
// opens of the file even within one process, so one test process can play both runs.)
TEST_F(OutputTest, OneProcessAtATimeRunsASweepsCheckpoints) {
  const std::string out = path("sweep.h5");
  {
    const CheckpointLock first = prepare_checkpoints(out, {}, false, "config", 7);
    EXPECT_TRUE(first.held());
    expect_input_error_holding([&] { (void)prepare_checkpoints(out, {}, false, "config", 7); },
                               {"another attachsim process is running", "sweep.h5.parts/lock"});
    expect_input_error_holding([&] { (void)prepare_checkpoints(out, {}, true, "config", 7); },
                               {"another attachsim process is running", "--resume"});
  }  // the first run ends (killed, say): its lock goes with it
  expect_input_error_holding([&] { (void)prepare_checkpoints(out, {}, false, "config", 7); },
                             {"an interrupted run", "--resume"});
  expect_input_error_holding([&] { (void)prepare_checkpoints(out, {}, true, "config", 8); },
                             {"different configuration"});
  const CheckpointLock resumed = prepare_checkpoints(out, {}, true, "config", 7);
  EXPECT_TRUE(resumed.held());
  expect_input_error_holding([&] { (void)prepare_checkpoints(out, {}, true, "config", 7); },
                             {"another attachsim process is running"});
}

// Readers never open a FIFO (it would wait forever for a writer) and stop at a group linked into
// itself (the walk over an arm's datasets recursed without end): both exit-2 input errors that
// name the file.
TEST_F(OutputTest, ReadersRefuseFifosAndGroupCycles) {
  ASSERT_EQ(::mkfifo(path("pipe.h5").c_str(), 0644), 0);
  EXPECT_FALSE(h5::is_hdf5_file(path("pipe.h5")));
  expect_input_error_holding([&] { (void)read_summary(path("pipe.h5")); }, {"a FIFO"});
  write_results(path("loop.h5"), make_result_with_extras(1));
  {
    const h5::Object file = h5::open_file_rw(path("loop.h5"));
    const h5::Object ssp = h5::open_group(file, "scenarios/zeta_sensitive/ssp");
    ASSERT_GE(H5Lcreate_hard(ssp.id(), ".", ssp.id(), "loop", H5P_DEFAULT, H5P_DEFAULT), 0);
  }
  expect_input_error_holding([&] { (void)read_summary(path("loop.h5")); },
                             {"loop.h5", "linked into itself"});
}

// A summary that does not hold one value per record (a crafted or damaged file) is refused, naming
// the dataset, instead of reporting another record's value as the last.
TEST_F(OutputTest, ReaderRefusesSummariesOfTheWrongLength) {
  write_results(path("short.h5"), make_result(1));
  {
    const h5::Object file = h5::open_file_rw(path("short.h5"));
    const h5::Object stats = h5::open_group(file, "scenarios/zeta_sensitive/summary/secure_base");
    h5::remove_link(stats, "mean");
    const std::vector<double> two = {0.1, 0.2};
    const std::size_t shape[1] = {2};
    h5::write_double_array(stats, "mean", two, shape);
  }
  expect_input_error_holding(
      [&] { (void)read_summary(path("short.h5")); },
      {"short.h5", "summary/secure_base/mean' has 2 values, n_records is 4"});
}

// A reader allocates what the file's datasets hold, never what its counts claim (the results
// fuzzer's finding): an arm whose n_dyads attribute is 2^60, with no parameter datasets to
// contradict it, allocated its metric table from the attribute (2^60 x n_records floats: an
// abort under ASan, std::bad_alloc and exit 1 in release). And a chunked dataset can declare any
// extent at no cost on disk: one declaring 2^40 values is refused before it is read.
TEST_F(OutputTest, ReadersAllocateWhatTheFileHoldsNotWhatItsCountsClaim) {
  write_results(path("counts.h5"), make_result(1));
  {
    const h5::Object file = h5::open_file_rw(path("counts.h5"));
    const h5::Object arm = h5::open_group(file, "scenarios/zeta_sensitive");
    h5::write_int_attribute(arm, "n_dyads", std::int64_t{1} << 60);
    const h5::Object params = h5::open_group(arm, "params");
    for (const std::string& name : h5::children(params)) h5::remove_link(params, name);
  }
  expect_input_error_holding([&] { (void)read_results(path("counts.h5")); },
                             {"counts.h5", "is not n_dyads x n_records"});

  write_results(path("extent.h5"), make_result(1));
  {
    const h5::Object file = h5::open_file_rw(path("extent.h5"));
    const h5::Object params = h5::open_group(file, "scenarios/zeta_sensitive/params");
    const std::string name = h5::children(params).front();
    h5::remove_link(params, name);
    const hsize_t dims[1] = {hsize_t{1} << 40};
    const hsize_t chunk[1] = {1024};
    const hid_t space = H5Screate_simple(1, dims, nullptr);
    const hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    ASSERT_GE(H5Pset_chunk(dcpl, 1, chunk), 0);
    const hid_t dataset = H5Dcreate2(params.id(), name.c_str(), H5T_IEEE_F64LE, space, H5P_DEFAULT,
                                     dcpl, H5P_DEFAULT);
    ASSERT_GE(dataset, 0);
    const h5::Object handle(dataset);  // closes it
    h5::write_string_attribute(handle, "units", "probability");
    h5::write_string_attribute(handle, "description", "declared, never written");
    H5Pclose(dcpl);
    H5Sclose(space);
  }
  expect_input_error_holding([&] { (void)read_results(path("extent.h5")); },
                             {"extent.h5", "more than this process's memory can hold"});
}

TEST_F(OutputTest, CheckOutputPathRejectsReadOnlyDirectory) {
  if (::geteuid() == 0) GTEST_SKIP() << "root ignores directory permissions";
  const fs::path locked = dir_ / "locked";
  fs::create_directory(locked);
  fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_exec);
  EXPECT_THROW(check_output_path((locked / "out.h5").string()), InputError);
  fs::permissions(locked, fs::perms::owner_all);
}

TEST_F(OutputTest, WriteReplacesAnExistingFile) {
  write_results(path("out.h5"), make_result(1));
  write_results(path("out.h5"), make_result(2));
  EXPECT_EQ(read_summary(path("out.h5")).provenance.seed, 2u);
  EXPECT_TRUE(temp_files().empty());
}

TEST_F(OutputTest, FailureMidWriteLeavesPreviousFileAndNoTemp) {
  write_results(path("out.h5"), make_result(1));
  const auto size_before = fs::file_size(path("out.h5"));

  RunResult bad_name = make_result(2);
  bad_name.arms[1].name = "";  // rejected after the first arm is written
  EXPECT_THROW(write_results(path("out.h5"), bad_name), RuntimeError);

  RunResult duplicate = make_result(3);
  duplicate.arms[1].name = duplicate.arms[0].name;  // HDF5 itself refuses the second group
  try {
    write_results(path("out.h5"), duplicate);
    FAIL() << "expected RuntimeError";
  } catch (const RuntimeError& error) {
    EXPECT_NE(std::string(error.what()).find("cannot write output"), std::string::npos)
        << error.what();
  }

  EXPECT_EQ(fs::file_size(path("out.h5")), size_before);
  EXPECT_EQ(read_summary(path("out.h5")).provenance.seed, 1u);
  EXPECT_TRUE(temp_files().empty());
}

TEST_F(OutputTest, ExtraDatasetsRoundTripBitExact) {
  const RunResult written = make_result_with_extras(42);
  write_results(path("out.h5"), written);
  expect_same_result(read_results(path("out.h5")), written);
  EXPECT_TRUE(temp_files().empty());
}

TEST_F(OutputTest, ExtraDatasetsRawLayout) {
  const RunResult written = make_result_with_extras(42);
  write_results(path("out.h5"), written);
  const h5::Object file = h5::open_file(path("out.h5"));
  const h5::Object arm = h5::open_group(h5::open_group(file, "scenarios"), "zeta_sensitive");
  EXPECT_EQ(h5::children(arm), (std::vector<std::string>{"time_days", "params", "metrics",
                                                         "summary", "ssp", "observed"}));
  const h5::Object age = h5::open_group(arm, "ssp/age_12mo");
  EXPECT_EQ(h5::children(age), (std::vector<std::string>{"class", "reunion_distress"}));

  const h5::Object classes = h5::open_dataset(age, "class");
  EXPECT_EQ(h5::element_type(classes), h5::ElementType::kInt8);
  EXPECT_EQ(h5::shape(classes), std::vector<std::size_t>{3});
  // Attributes keep the order they were written in.
  EXPECT_EQ(h5::attribute_names(classes),
            (std::vector<std::string>{"units", "description", "codes", "instrument"}));
  EXPECT_EQ(h5::read_string_attribute(classes, "codes"), kCodes);
  EXPECT_EQ(h5::read_string_attribute(classes, "units"), "category");

  const h5::Object sensitivity = h5::open_dataset(arm, "observed/sensitivity");
  EXPECT_EQ(h5::element_type(sensitivity), h5::ElementType::kFloat32);
  EXPECT_EQ(h5::shape(sensitivity), (std::vector<std::size_t>{3, 4}));
  EXPECT_TRUE(h5::storage(sensitivity).chunk.empty()) << "small datasets are contiguous";
  EXPECT_EQ(h5::storage(sensitivity).deflate_level, -1);

  // Every dataset, model-declared ones included, has units and a description: the 23 of
  // RawLayoutMatchesTheSchema plus 3 + 2 model-declared ones.
  EXPECT_EQ(check_dataset_attributes(file, ""), 23 + 3 + 2);
}

TEST_F(OutputTest, LargeExtraDatasetsAreChunkedAndFiltered) {
  constexpr std::size_t n = 5000;
  RunResult result = make_result(1);
  result.arms.resize(1);
  result.arms[0] = make_arm("big", n, 1, {{"x", "1", "x"}}, 3);
  std::vector<float> wide(n * 3);
  for (std::size_t i = 0; i < wide.size(); ++i) wide[i] = i % 7 == 0 ? kNaNf : float(i) * 0.5f;
  std::vector<std::int8_t> classes(n);
  for (std::size_t i = 0; i < n; ++i) classes[i] = std::int8_t(i % 4);
  result.arms[0].extra = {
      {"m/wide", {"", "1", "wide"}, {n, 3}, wide, {}},
      {"m/narrow",
       {"", "1", "narrow"},
       {n},
       std::vector<float>(wide.begin(), wide.begin() + n),
       {}},
      {"m/class", {"", "category", "class"}, {n}, classes, {{"codes", kCodes}}},
      {"m/none", {"", "1", "zero columns"}, {n, 0}, std::vector<float>{}, {}},
  };
  write_results(path("out.h5"), result);
  expect_same_result(read_results(path("out.h5")), result);

  const h5::Object file = h5::open_file(path("out.h5"));
  const h5::Object m = h5::open_group(file, "scenarios/big/m");
  const h5::Storage wide_storage = h5::storage(h5::open_dataset(m, "wide"));
  EXPECT_EQ(wide_storage.chunk, (std::vector<std::size_t>{n, 3}));
  EXPECT_EQ(wide_storage.chunk, h5::array_chunk_shape(std::vector<std::size_t>{n, 3}, 4));
  EXPECT_TRUE(wide_storage.shuffle);
  EXPECT_EQ(wide_storage.deflate_level, 4);
  const h5::Storage narrow_storage = h5::storage(h5::open_dataset(m, "narrow"));
  EXPECT_EQ(narrow_storage.chunk, std::vector<std::size_t>{n});
  EXPECT_TRUE(narrow_storage.shuffle);
  EXPECT_EQ(narrow_storage.deflate_level, 4);
  const h5::Storage class_storage = h5::storage(h5::open_dataset(m, "class"));
  EXPECT_EQ(class_storage.chunk, std::vector<std::size_t>{n});
  EXPECT_FALSE(class_storage.shuffle) << "shuffle does nothing for one-byte elements";
  EXPECT_EQ(class_storage.deflate_level, 4);
  EXPECT_TRUE(h5::storage(h5::open_dataset(m, "none")).chunk.empty());
}

TEST_F(OutputTest, InterleavedExtraPathsReadBackGroupByGroup) {
  RunResult result = make_result(1);
  result.arms.resize(1);
  const auto column = [](const std::string& p, float value) {
    return ExtraDataset{p, {"", "1", p}, {3}, std::vector<float>(3, value), {}};
  };
  result.arms[0].extra = {column("a/x", 1), column("b/y", 2), column("a/z", 3)};
  write_results(path("out.h5"), result);
  const RunResult read = read_results(path("out.h5"));
  ASSERT_EQ(read.arms[0].extra.size(), 3u);
  EXPECT_EQ(read.arms[0].extra[0].path, "a/x");
  EXPECT_EQ(read.arms[0].extra[1].path, "a/z");
  EXPECT_EQ(read.arms[0].extra[2].path, "b/y");
  EXPECT_EQ(std::get<std::vector<float>>(read.arms[0].extra[1].data)[0], 3.0f);
}

TEST_F(OutputTest, InvalidExtraDatasetsLeavePreviousFileAndNoTemp) {
  write_results(path("out.h5"), make_result(1));
  const auto size_before = fs::file_size(path("out.h5"));

  const ExtraDataset ok{"x", {"", "1", "x"}, {2}, std::vector<float>{1, 2}, {}};
  const auto with_path = [&](const std::string& p) {
    ExtraDataset e = ok;
    e.path = p;
    return e;
  };
  const auto with_shape = [&](std::vector<std::size_t> shape, std::size_t n_values) {
    ExtraDataset e = ok;
    e.shape = std::move(shape);
    e.data = std::vector<float>(n_values, 1.0f);
    return e;
  };
  using Attributes = std::vector<std::pair<std::string, std::string>>;
  const auto with_attributes = [&](Attributes attributes, bool int8) {
    ExtraDataset e = ok;
    if (int8) e.data = std::vector<std::int8_t>{0, 1};
    e.string_attributes = std::move(attributes);
    return e;
  };
  const struct {
    std::vector<ExtraDataset> extra;  // of the second arm (2 dyads), written after the first
    const char* expected;
  } cases[] = {
      {{with_path("metrics/x")}, "own members"},
      {{with_path("time_days")}, "own members"},
      {{with_path("summary")}, "own members"},
      {{with_path("params/y/z")}, "own members"},
      {{with_path("a//b")}, "segment is empty"},
      {{with_path("/a")}, "segment is empty"},
      {{with_path("a/")}, "segment is empty"},
      {{with_path("a/./b")}, "segment is empty"},
      {{with_path("")}, "segment is empty"},
      {{with_path("a/b"), with_path("a/b")}, "declared twice"},
      {{with_path("a"), with_path("a/b")}, "another dataset"},
      {{with_path("a/b/c"), with_path("a/b")}, "group of another dataset"},
      {{with_shape({2, 4}, 6)}, "6 values for shape [2, 4]"},
      {{with_shape({2}, 3)}, "3 values for shape [2]"},
      {{with_shape({3}, 3)}, "shape [3] for 2 dyads"},
      {{with_shape({2, 1, 1}, 2)}, "is not [dyads]"},
      {{with_shape({}, 1)}, "is not [dyads]"},
      {{with_attributes({{"units", "s"}}, false)}, "reserved"},
      {{with_attributes({{"", "s"}}, false)}, "reserved"},
      {{with_attributes({{"codes", "0=A,0=B"}}, true)}, "codes"},
      {{with_attributes({{"codes", "0=A,B"}}, true)}, "codes"},
      {{with_attributes({{"codes", "0=A,1=B"}}, false)}, "int8"},
      {{with_attributes({{"a", "1"}, {"a", "2"}}, false)}, "given twice"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.expected);
    RunResult bad = make_result(2);
    bad.arms[1].extra = c.extra;
    try {
      write_results(path("out.h5"), bad);
      ADD_FAILURE() << "expected RuntimeError";
    } catch (const RuntimeError& error) {
      const std::string message = error.what();
      EXPECT_NE(message.find("cannot write output"), std::string::npos) << message;
      EXPECT_NE(message.find(c.expected), std::string::npos) << message;
    }
    EXPECT_EQ(fs::file_size(path("out.h5")), size_before);
    EXPECT_EQ(read_summary(path("out.h5")).provenance.seed, 1u);
    EXPECT_TRUE(temp_files().empty());
  }
}

TEST_F(OutputTest, ReadSummaryListsExtrasAndCountsCodes) {
  write_results(path("out.h5"), make_result_with_extras(42));
  const FileSummary file = read_summary(path("out.h5"));
  ASSERT_EQ(file.arms.size(), 2u);

  const std::vector<ExtraOverview>& first = file.arms[0].extra;
  ASSERT_EQ(first.size(), 3u);
  EXPECT_EQ(first[0].path, "ssp/age_12mo/class");
  EXPECT_EQ(first[0].info.name, "class");
  EXPECT_EQ(first[0].info.units, "category");
  EXPECT_EQ(first[0].dtype, "int8");
  EXPECT_EQ(first[0].shape, std::vector<std::size_t>{3});
  ASSERT_EQ(first[0].codes.size(), 4u);
  EXPECT_EQ(first[0].codes[3].value, 3);
  EXPECT_EQ(first[0].codes[3].label, "D");
  EXPECT_EQ(first[0].code_counts, (std::vector<std::size_t>{1, 1, 0, 1}));
  EXPECT_EQ(first[0].uncoded, 0u);
  EXPECT_EQ(first[0].string_attributes.size(), 2u);
  EXPECT_EQ(first[2].path, "observed/sensitivity");
  EXPECT_EQ(first[2].dtype, "float32");
  EXPECT_EQ(first[2].shape, (std::vector<std::size_t>{3, 4}));
  EXPECT_TRUE(first[2].codes.empty());

  const std::vector<ExtraOverview>& second = file.arms[1].extra;
  ASSERT_EQ(second.size(), 2u);
  EXPECT_EQ(second[0].code_counts, (std::vector<std::size_t>{1, 1, 1, 1}));
  EXPECT_EQ(second[0].uncoded, 2u);  // -1 and 127
  EXPECT_EQ(second[1].path, "note");
}

TEST_F(OutputTest, InspectListsExtrasWithCodeShares) {
  write_results(path("out.h5"), make_result_with_extras(42));
  std::ostringstream out;
  EXPECT_EQ(cli::inspect_command(path("out.h5"), out), 0);
  const std::string text = out.str();
  EXPECT_NE(text.find("model-declared datasets:"), std::string::npos) << text;
  EXPECT_NE(text.find("A 33.3%  B 33.3%  C 0.0%  D 33.3%"), std::string::npos) << text;
  EXPECT_NE(text.find("A 16.7%  B 16.7%  C 16.7%  D 16.7%  other 33.3%"), std::string::npos)
      << text;
  std::istringstream lines(text);
  std::string line;
  bool found = false;
  while (std::getline(lines, line)) {
    if (line.find("observed/sensitivity") != std::string::npos) {
      found = true;
      EXPECT_NE(line.find("float32"), std::string::npos) << line;
      EXPECT_NE(line.find("[3, 4]"), std::string::npos) << line;
      EXPECT_NE(line.find("1-9 scale"), std::string::npos) << line;
    }
  }
  EXPECT_TRUE(found) << text;
}

// A file made by hand, as another tool or a newer attachsim might: datasets outside the contract
// of model-declared datasets (other dtype, first dimension not n_dyads) are skipped, and so are
// non-string attributes.
TEST_F(OutputTest, ReaderSkipsDatasetsOutsideTheContract) {
  h5::Object file = h5::create_file(path("hand.h5"));
  {
    for (const char* name : {"attachsim_version", "created_utc", "command_line", "config"}) {
      h5::write_string_attribute(file, name, "x");
    }
    h5::write_int_attribute(file, "schema_version", 1);
    h5::write_uint_attribute(file, "seed", 1);
    const h5::Object arm = h5::require_group(file, "scenarios/arm");
    for (const char* name : {"scenario", "arm", "description"}) {
      h5::write_string_attribute(arm, name, "x");
    }
    h5::write_uint_attribute(arm, "seed", 1);
    h5::write_int_attribute(arm, "n_dyads", 2);
    h5::write_int_attribute(arm, "n_records", 1);
    h5::write_vector(arm, "time_days", std::vector<double>{1.0});
    for (const char* name : {"params", "metrics", "summary"}) h5::create_group(arm, name);
    const std::size_t two[] = {2};
    const std::size_t three[] = {3};
    const h5::Object ok = h5::write_int8_array(arm, "ok", std::vector<std::int8_t>{1, -2}, two);
    h5::write_string_attribute(ok, "units", "1");
    h5::write_string_attribute(ok, "description", "fits");
    h5::write_double_attribute(ok, "weight", 2.0);
    h5::write_string_attribute(ok, "codes", "1=yes");
    h5::write_vector(arm, "float64", std::vector<double>{1.0, 2.0});
    h5::write_float_array(h5::create_group(arm, "g"), "short", std::vector<float>{1, 2, 3}, three);
  }
  file.close();
  const RunResult result = read_results(path("hand.h5"));
  ASSERT_EQ(result.arms.size(), 1u);
  ASSERT_EQ(result.arms[0].extra.size(), 1u);
  const ExtraDataset& ok = result.arms[0].extra[0];
  EXPECT_EQ(ok.path, "ok");
  EXPECT_EQ(ok.string_attributes,
            (std::vector<std::pair<std::string, std::string>>{{"codes", "1=yes"}}));
  EXPECT_EQ(std::get<std::vector<std::int8_t>>(ok.data), (std::vector<std::int8_t>{1, -2}));
  const FileSummary summary = read_summary(path("hand.h5"));
  ASSERT_EQ(summary.arms[0].extra.size(), 1u);
  const ExtraOverview& overview = summary.arms[0].extra[0];
  EXPECT_EQ(overview.code_counts, std::vector<std::size_t>{1});
  EXPECT_EQ(overview.uncoded, 1u);
}

TEST(ParseCodes, AcceptsTheConventionAndRejectsTheRest) {
  const auto codes = parse_codes(" 0=A, 1 = B ,-1=unclassified,127=x=y");
  ASSERT_TRUE(codes.has_value());
  ASSERT_EQ(codes->size(), 4u);
  EXPECT_EQ((*codes)[1].value, 1);
  EXPECT_EQ((*codes)[1].label, "B");
  EXPECT_EQ((*codes)[2].value, -1);
  EXPECT_EQ((*codes)[2].label, "unclassified");
  EXPECT_EQ((*codes)[3].label, "x=y");
  for (const char* bad : {"", "A", "0=", "=A", "0=A,", "0=A,,1=B", "128=A", "-129=A", "1.5=A",
                          "+1=A", "0x1=A", "0=A,0=B"}) {
    EXPECT_FALSE(parse_codes(bad).has_value()) << bad;
  }
}

TEST_F(OutputTest, H5ArraysRequireGroupAndAttributeOrder) {
  h5::Object file = h5::create_file(path("x.h5"));
  {
    const h5::Object deep = h5::require_group(file, "a/b/c");
    h5::require_group(file, "a/d");
    EXPECT_EQ(h5::children(h5::open_group(file, "a")), (std::vector<std::string>{"b", "d"}));
    EXPECT_TRUE(h5::exists(file, "a/b/c"));
    const h5::Object same = h5::require_group(file, "a/b");  // existing groups are opened
    EXPECT_EQ(h5::children(same), std::vector<std::string>{"c"});

    // Storage switches to chunked + filtered at kMinFilteredBytes.
    const std::vector<float> floats(h5::kMinFilteredBytes / sizeof(float), 1.5f);
    const std::size_t below[] = {floats.size() - 1};
    const std::size_t at[] = {floats.size()};
    h5::write_float_array(deep, "below", std::span<const float>(floats.data(), floats.size() - 1),
                          below);
    h5::write_float_array(deep, "at", floats, at);
    EXPECT_TRUE(h5::storage(h5::open_dataset(deep, "below")).chunk.empty());
    EXPECT_EQ(h5::storage(h5::open_dataset(deep, "at")).chunk, std::vector<std::size_t>{at[0]});
    const h5::Array<float> read = h5::read_float_array(deep, "at");
    EXPECT_EQ(read.shape, std::vector<std::size_t>{at[0]});
    EXPECT_EQ(read.values, floats);

    const std::size_t two_by_three[] = {2, 3};
    const std::vector<std::int8_t> bytes = {-128, -1, 0, 1, 2, 127};
    h5::write_int8_array(deep, "bytes", bytes, two_by_three);
    const h5::Array<std::int8_t> read_bytes = h5::read_int8_array(deep, "bytes");
    EXPECT_EQ(read_bytes.shape, (std::vector<std::size_t>{2, 3}));
    EXPECT_EQ(read_bytes.values, bytes);
    EXPECT_EQ(h5::read_float_array(deep, "bytes").values[0], -128.0f);  // converted
    EXPECT_THROW(h5::read_int8_array(deep, "at"), RuntimeError);        // not int8
    EXPECT_THROW(h5::write_int8_array(deep, "wrong", bytes, at), RuntimeError);

    // A dataset in the way of a group.
    EXPECT_THROW(h5::require_group(deep, "at/x"), RuntimeError);

    const h5::Object dataset = h5::open_dataset(deep, "bytes");
    h5::write_string_attribute(dataset, "zeta", "1");
    h5::write_string_attribute(dataset, "alpha", "2");
    h5::write_double_attribute(dataset, "mid", 3.0);
    EXPECT_EQ(h5::attribute_names(dataset), (std::vector<std::string>{"zeta", "alpha", "mid"}));
    EXPECT_TRUE(h5::is_string_attribute(dataset, "alpha"));
    EXPECT_FALSE(h5::is_string_attribute(dataset, "mid"));
  }
  file.close();
}

TEST_F(OutputTest, WriteIntoMissingDirectoryThrowsRuntimeError) {
  EXPECT_THROW(write_results(path("missing/out.h5"), make_result(1)), RuntimeError);
}

TEST_F(OutputTest, ReaderRejectsFilesThatAreNotResults) {
  EXPECT_THROW(read_summary(path("absent.h5")), InputError);
  EXPECT_THROW(read_summary(dir_.string()), InputError);

  std::ofstream(path("text.h5")) << "not hdf5\n";
  EXPECT_THROW(read_summary(path("text.h5")), InputError);

  h5::create_file(path("other.h5")).close();
  EXPECT_THROW(read_summary(path("other.h5")), InputError);

  {
    h5::Object file = h5::create_file(path("future.h5"));
    h5::write_string_attribute(file, "attachsim_version", "9.0");
    h5::write_int_attribute(file, "schema_version", kSchemaVersion + 1);
    h5::create_group(file, "scenarios");
    file.close();
  }
  try {
    read_results(path("future.h5"));
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("schema_version"), std::string::npos);
  }
}

TEST_F(OutputTest, H5ExistsAndAttributeReplacement) {
  h5::Object file = h5::create_file(path("x.h5"));
  {
    const h5::Object group = h5::create_group(h5::create_group(file, "a"), "b");
    h5::write_double_attribute(group, "x", 1.5);
    h5::write_double_attribute(group, "x", 2.5);  // replaced, not an error
    EXPECT_EQ(h5::read_double_attribute(group, "x"), 2.5);
    EXPECT_EQ(h5::attribute_names(group), std::vector<std::string>{"x"});
  }
  EXPECT_TRUE(h5::exists(file, "a"));
  EXPECT_TRUE(h5::exists(file, "a/b"));
  EXPECT_FALSE(h5::exists(file, "a/c"));
  EXPECT_FALSE(h5::exists(file, "z/b"));
  EXPECT_THROW(h5::open_group(file, "z"), RuntimeError);
  file.close();
  EXPECT_FALSE(file.valid());
}

}  // namespace
}  // namespace attachsim::sim
