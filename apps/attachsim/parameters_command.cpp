#include <iostream>
#include <sstream>

#include "apps/attachsim/commands.hpp"
#include "models/metrics.hpp"
#include "models/parameters.hpp"
#include "sim/config.hpp"
#include "sim/errors.hpp"

namespace attachsim::cli {
namespace {

std::string num(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

}  // namespace

std::string metrics_markdown();

std::string parameters_markdown() {
  std::ostringstream out;
  out << "### Caregiver parameters (drawn per dyad from the arm's population)\n\n"
         "| config key | unit | default mean | default sd | range | family | meaning | source |\n"
         "|---|---|---|---|---|---|---|---|\n";
  for (const auto& p : models::kCaregiverParams) {
    out << "| `population." << p.key << "` | " << p.unit << " | " << num(p.mean) << " | "
        << num(p.sd) << " | " << num(p.lo) << " to " << num(p.hi) << " | "
        << (p.family == models::Family::kBeta ? "Beta" : "log-normal") << " | " << p.description
        << " | " << p.source << " |\n";
  }
  out << "\n### Child parameters (the same for every child of an arm)\n\n"
         "| config key | unit | default | range | meaning | source |\n"
         "|---|---|---|---|---|---|\n";
  for (const auto& p : models::kChildParams) {
    out << "| `child." << p.key << "` | " << p.unit << " | " << num(p.value) << " | " << num(p.lo)
        << " to " << num(p.hi) << " | " << p.description << " | " << p.source << " |\n";
  }
  out << "\n### Metrics (recorded per dyad at every record)\n\n" << metrics_markdown();
  return out.str();
}

std::string metrics_markdown() {
  std::ostringstream out;
  out << "| metric | unit | meaning |\n|---|---|---|\n";
  for (const auto& m : models::kMetrics) {
    out << "| `" << m.name << "` | " << m.units << " | " << m.description << " |\n";
  }
  return out.str();
}

int parameters_command(const std::vector<std::string>& args) {
  for (const auto& a : args) {
    if (a == "--help" || a == "-h") {
      std::cout << "Usage: attachsim parameters\n\nPrints every model parameter (config key, "
                   "unit, default, range, meaning, source) and every metric, as Markdown tables "
                   "(the tables in docs/model.md are this output).\n\n  --metrics  only the metric "
                   "table (as in docs/output-format.md)\n";
      return 0;
    }
  }
  if (args.size() == 1 && args[0] == "--metrics") {
    std::cout << metrics_markdown();
    return 0;
  }
  if (!args.empty()) {
    throw sim::InputError("attachsim parameters: unexpected '" + args[0] +
                          "'; allowed: --metrics (only the metric table), --help");
  }
  std::cout << parameters_markdown();
  return 0;
}

}  // namespace attachsim::cli
