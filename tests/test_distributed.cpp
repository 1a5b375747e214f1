// The work split of the MPI build (docs/hpc.md), which the serial build shares: shares cover
// every unit once, in rank order, balanced; day-care groups are never split. (The MPI paths
// themselves run in ctest --preset mpi.)
#include <gtest/gtest.h>

#include "models/run.hpp"
#include "models/scenario.hpp"
#include "sim/config.hpp"
#include "sim/distributed.hpp"
#include "sim/errors.hpp"
#include "sim/h5.hpp"
#include "test_support.hpp"

namespace attachsim {
namespace {

models::ScenarioSpec builtin_spec(const std::string& name) {
  for (const auto& b : models::builtin_scenarios()) {
    if (b.name == name) {
      return models::scenario_from_toml(sim::load_toml_text(b.text, std::string(b.path)),
                                        std::string(b.path));
    }
  }
  throw std::logic_error("no built-in scenario " + name);
}

TEST(Distributed, SharesCoverEveryUnitOnceInRankOrderAndBalanced) {
  for (const std::size_t units : {0u, 1u, 5u, 26u, 103u, 1000u}) {
    for (const int ranks : {1, 2, 3, 4, 7}) {
      std::size_t next = 0, smallest = units, largest = 0;
      for (int r = 0; r < ranks; ++r) {
        const sim::distributed::Share s = sim::distributed::share_of(units, r, ranks);
        EXPECT_EQ(s.first, next) << units << " units, rank " << r << " of " << ranks;
        next += s.count;
        smallest = std::min(smallest, s.count);
        largest = std::max(largest, s.count);
      }
      EXPECT_EQ(next, units) << units << " units on " << ranks << " ranks";
      EXPECT_LE(largest - smallest, 1u) << units << " units on " << ranks << " ranks";
    }
  }
}

TEST(Distributed, DyadSharesKeepDayCareGroupsWhole) {
  // community-families' second arm has day-care groups of 4; 103 dyads are 26 groups, the last
  // of 3 children.
  models::ScenarioSpec spec = builtin_spec("community-families");
  spec.dyads = 103;
  std::size_t grouped = spec.arms.size();
  for (std::size_t a = 0; a < spec.arms.size(); ++a) {
    if (spec.arms[a].group_size() > 1) grouped = a;
  }
  ASSERT_LT(grouped, spec.arms.size());
  const auto g = static_cast<std::size_t>(spec.arms[grouped].group_size());
  ASSERT_EQ(g, 4u);
  for (const int ranks : {1, 2, 4, 30}) {
    std::size_t next = 0;
    for (int r = 0; r < ranks; ++r) {
      const models::DyadShare s = models::dyad_share(spec, grouped, r, ranks);
      EXPECT_EQ(s.first, next);
      if (s.count > 0) {
        EXPECT_EQ(s.first % g, 0u) << "rank " << r << " of " << ranks;
      }
      next += s.count;
    }
    EXPECT_EQ(next, 103u) << ranks << " ranks";
  }
}

TEST(Distributed, SerialBuildIsOneProcess) {
  EXPECT_EQ(sim::distributed::rank(), 0);
  EXPECT_EQ(sim::distributed::size(), 1);
  EXPECT_EQ(sim::distributed::broadcast("text"), "text");
  const float rows[4] = {1, 2, 3, 4};
  EXPECT_EQ(sim::distributed::gather_rows(rows, 2, 0), std::vector<float>(rows, rows + 4));
}

TEST(Distributed, SlabOfASerialFileMustCoverEveryRow) {
  const testing::TempDir dir;
  const std::string path = dir.file("slab.h5");
  sim::h5::Object file = sim::h5::create_file(path);
  const double values[3] = {1, 2, 3};
  const std::size_t shape[1] = {3};
  EXPECT_THROW(sim::h5::write_slab(file, "part", sim::h5::Layout::kVector,
                                   sim::h5::Element::kFloat64, shape, 1, 2, values + 1),
               sim::RuntimeError);
  const sim::h5::Object whole = sim::h5::write_slab(
      file, "whole", sim::h5::Layout::kVector, sim::h5::Element::kFloat64, shape, 0, 3, values);
  EXPECT_EQ(sim::h5::read_vector(file, "whole"), std::vector<double>(values, values + 3));
}

}  // namespace
}  // namespace attachsim
