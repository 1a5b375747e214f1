// Sweep designs, seeds and streaming summaries (sim/sweep.hpp, sim/aggregate.hpp).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "sim/aggregate.hpp"
#include "sim/config.hpp"
#include "sim/errors.hpp"
#include "sim/rng.hpp"
#include "sim/summary.hpp"
#include "sim/sweep.hpp"

namespace attachsim::sim {
namespace {

SweepSpec parse(const std::string& text) {
  const toml::table doc = load_toml_text(text, "w.toml");
  ConfigTable root(&doc, "", "w.toml");
  return read_sweep(root.table("sweep"));
}

std::string error_of(const std::string& text) {
  try {
    parse(text);
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no error for " << text;
  return {};
}

const std::string kTwo = R"(
[[sweep.parameter]]
key = "a"
min = 0.0
max = 1.0
[[sweep.parameter]]
key = "b"
min = 10.0
max = 20.0
)";

TEST(Sweep, GridIsEveryCombinationLastFastest) {
  const SweepSpec s = parse(R"(
[sweep]
[[sweep.parameter]]
key = "a"
values = [1, 2]
[[sweep.parameter]]
key = "b"
min = 0.0
max = 1.0
steps = 3
)");
  const auto p = sweep_points(s);
  ASSERT_EQ(p.size(), 6u);
  const std::vector<std::vector<double>> expected = {{1, 0}, {1, 0.5}, {1, 1},
                                                     {2, 0}, {2, 0.5}, {2, 1}};
  EXPECT_EQ(p, expected);
}

// Each of the n strata of every parameter holds exactly one point.
TEST(Sweep, LatinHypercubeFillsEveryStratumOnce) {
  const SweepSpec s = parse("[sweep]\ndesign = \"lhs\"\nsamples = 50\nseed = 4\n" + kTwo);
  const auto p = sweep_points(s);
  ASSERT_EQ(p.size(), 50u);
  for (std::size_t i = 0; i < 2; ++i) {
    const double lo = i == 0 ? 0.0 : 10.0, span = i == 0 ? 1.0 : 10.0;
    std::set<int> strata;
    for (const auto& row : p)
      strata.insert(static_cast<int>(std::floor((row[i] - lo) / span * 50)));
    EXPECT_EQ(strata.size(), 50u);
    EXPECT_EQ(*strata.begin(), 0);
    EXPECT_EQ(*strata.rbegin(), 49);
  }
}

// The Sobol sequence's first points after the origin (Joe-Kuo; every dimension starts 1/2, then
// dimension 1 runs 3/4, 1/4, ...) scaled to the ranges.
TEST(Sweep, SobolStartsAtTheKnownPoints) {
  const SweepSpec s = parse("[sweep]\ndesign = \"sobol\"\nsamples = 3\n" + kTwo);
  const auto p = sweep_points(s);
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0], (std::vector<double>{0.5, 15.0}));
  EXPECT_EQ(p[1][0], 0.75);
  EXPECT_EQ(p[2][0], 0.25);
}

// Saltelli: per base sample A, B, then A with column i from B; more samples only append.
TEST(Sweep, SaltelliBlocksAndPrefixStability) {
  const SweepSpec small = parse("[sweep]\ndesign = \"saltelli\"\nsamples = 4\n" + kTwo);
  const SweepSpec large = parse("[sweep]\ndesign = \"saltelli\"\nsamples = 9\n" + kTwo);
  const auto p = sweep_points(small);
  const auto q = sweep_points(large);
  ASSERT_EQ(p.size(), 4u * 4u);
  ASSERT_EQ(q.size(), 9u * 4u);
  EXPECT_TRUE(std::equal(p.begin(), p.end(), q.begin()));
  for (std::size_t j = 0; j < 4; ++j) {
    const auto& a = p[4 * j];
    const auto& b = p[4 * j + 1];
    EXPECT_NE(a, b);
    EXPECT_EQ(p[4 * j + 2], (std::vector<double>{b[0], a[1]}));
    EXPECT_EQ(p[4 * j + 3], (std::vector<double>{a[0], b[1]}));
  }
}

// A point's seed depends on its values and replicate, not its index: inserting a grid value
// keeps the seeds of the points already there.
TEST(Sweep, SeedsFollowValuesNotIndices) {
  const SweepSpec a =
      parse("[sweep]\nreplicates = 2\n[[sweep.parameter]]\nkey = \"x\"\nvalues = [1, 3]\n");
  const SweepSpec b =
      parse("[sweep]\nreplicates = 2\n[[sweep.parameter]]\nkey = \"x\"\nvalues = [1, 2, 3]\n");
  const auto pa = sweep_points(a), pb = sweep_points(b);
  auto seed = [](const SweepSpec& s, const std::vector<double>& point, int r) {
    const auto o = point_overrides(s, point);
    return point_seed(7, o, r);
  };
  EXPECT_EQ(seed(a, pa[1], 0), seed(b, pb[2], 0));  // x = 3
  EXPECT_EQ(seed(a, pa[0], 1), seed(b, pb[0], 1));  // x = 1
  EXPECT_NE(seed(a, pa[0], 0), seed(a, pa[0], 1));  // replicates differ
  EXPECT_NE(seed(a, pa[0], 0), seed(a, pa[1], 0));
  EXPECT_EQ(point_overrides(a, pa[1]), std::vector<std::string>{"x=3.0"});
}

// integer = true rounds the values and writes them as TOML integers (for keys such as
// scenario.dyads, which a float would not satisfy).
TEST(Sweep, IntegerParametersAreRoundedAndWrittenAsIntegers) {
  const SweepSpec s = parse(
      "[sweep]\n[[sweep.parameter]]\nkey = \"scenario.dyads\"\ninteger = true\nmin = 10.0\n"
      "max = 21.0\nsteps = 3\n");
  const auto p = sweep_points(s);
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[1][0], 16.0);  // 15.5 rounded half away from zero
  EXPECT_EQ(point_overrides(s, p[1]), std::vector<std::string>{"scenario.dyads=16"});
  EXPECT_EQ(point_overrides(s, p[2]), std::vector<std::string>{"scenario.dyads=21"});
}

TEST(Sweep, RejectsBadSweepsWithLocation) {
  EXPECT_NE(error_of("[sweep]\ndesign = \"random\"\n").find("allowed: grid, lhs, sobol, saltelli"),
            std::string::npos);
  EXPECT_NE(error_of("[sweep]\ndesign = \"lhs\"\n" + kTwo).find("'sweep.samples' is missing"),
            std::string::npos);
  EXPECT_NE(error_of("[sweep]\n").find("'sweep.parameter' is missing"), std::string::npos);
  EXPECT_NE(error_of("[sweep]\n[[sweep.parameter]]\nkey = \"a\"\nmin = 1.0\nmax = 2.0\n")
                .find("'sweep.parameter[0].steps' is missing"),
            std::string::npos);
  EXPECT_NE(error_of("[sweep]\n[[sweep.parameter]]\nkey = \"a\"\nmin = 2.0\nmax = 1.0\nsteps = 2\n")
                .find("must be greater than min"),
            std::string::npos);
  EXPECT_NE(error_of("[sweep]\ndesign = \"sobol\"\nsamples = 2\n[[sweep.parameter]]\nkey = "
                     "\"a\"\nvalues = [1, 2]\n")
                .find("applies to the grid design only"),
            std::string::npos);
  EXPECT_NE(error_of("[sweep]\ndesign = \"lhs\"\nsamples = 3\nreplicate = 2\n" + kTwo)
                .find("unknown key 'sweep.replicate'"),
            std::string::npos);
}

// The streamed mean and sd equal the exact summary (double precision, different summation
// order: relative 1e-12); streamed quantiles lie within one histogram bin (range / 1000) of the
// exact type-7 quantiles.
TEST(Sweep, StreamedSummariesMatchTheExactOnes) {
  const std::size_t dyads = 3000, records = 5;
  MetricTable table(2, dyads, records);
  Rng rng(1, 0, 0, StreamPurpose::kEvents);
  for (std::size_t d = 0; d < dyads; ++d) {
    for (std::size_t k = 0; k < records; ++k) {
      table.row(0, d)[k] = static_cast<float>(rng.beta(2.0, 5.0));
      table.row(1, d)[k] = d % 7 == 0 ? std::nanf("") : static_cast<float>(rng.exponential(0.2));
    }
  }
  SummaryAccumulator acc({{0.0, 1.0}, {0.0, 20.0}}, records);
  // In two blocks, as a sweep streams them.
  MetricTable first(2, 1000, records), second(2, dyads - 1000, records);
  for (std::size_t m = 0; m < 2; ++m) {
    for (std::size_t d = 0; d < dyads; ++d) {
      float* to = d < 1000 ? first.row(m, d) : second.row(m, d - 1000);
      std::copy_n(table.row(m, d), records, to);
    }
  }
  acc.add(first);
  acc.add(second);
  for (std::size_t m = 0; m < 2; ++m) {
    const Summary exact = summarize(table.metric(m), dyads, records);
    const double bin = (m == 0 ? 1.0 : 20.0) / SummaryAccumulator::kBins;
    for (std::size_t k = 0; k < records; ++k) {
      const StreamedSummary s = acc.summary(m, k);
      EXPECT_NEAR(s.mean, exact.mean[k], 1e-12 * std::abs(exact.mean[k]));
      EXPECT_NEAR(s.sd, exact.sd[k], 1e-12 * exact.sd[k]);
      EXPECT_NEAR(s.p10, exact.p10[k], bin);
      EXPECT_NEAR(s.p50, exact.p50[k], bin);
      EXPECT_NEAR(s.p90, exact.p90[k], bin);
    }
  }
  EXPECT_EQ(acc.summary(1, 0).count, 3000 - 429);  // NaN skipped: every 7th dyad
}

}  // namespace
}  // namespace attachsim::sim
