// The parameter and metric tables in docs/model.md are the output of `attachsim parameters`, so
// the documentation cannot fall behind parameters.hpp (the one place parameters are defined).
// Regenerate with scripts/update-docs.sh.
#include <gtest/gtest.h>

#include "apps/attachsim/commands.hpp"
#include "tests/test_support.hpp"

namespace attachsim {
namespace {

std::string generated_block(const std::string& doc_path, const std::string& what) {
  const std::string text = testing::read_file(std::string(ATTACHSIM_SOURCE_DIR) + "/" + doc_path);
  const std::string begin = "<!-- BEGIN attachsim " + what + " -->\n";
  const std::string end = "<!-- END attachsim " + what + " -->";
  const auto b = text.find(begin);
  const auto e = text.find(end);
  if (b == std::string::npos || e == std::string::npos || e < b) return "(markers missing)";
  return text.substr(b + begin.size(), e - b - begin.size());
}

TEST(Docs, ModelTablesMatchTheParameterRegistry) {
  EXPECT_EQ(generated_block("docs/model.md", "parameters"), cli::parameters_markdown())
      << "docs/model.md is out of date: run scripts/update-docs.sh";
}

TEST(Docs, OutputFormatListsEveryMetric) {
  EXPECT_EQ(generated_block("docs/output-format.md", "metrics"), cli::metrics_markdown())
      << "docs/output-format.md is out of date: run scripts/update-docs.sh";
}

}  // namespace
}  // namespace attachsim
