#include <algorithm>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "apps/attachsim/commands.hpp"
#include "apps/attachsim/text.hpp"
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

bool wanted(std::string_view key, const std::vector<std::string>& words) {
  if (words.empty()) return true;
  return std::any_of(words.begin(), words.end(),
                     [&](const std::string& w) { return key.find(w) != std::string_view::npos; });
}

// The terminal listing: one line per parameter (key, default, range, unit) and its meaning
// wrapped below, in at most 100 columns; with `sources`, its source too.
std::string parameters_listing(const std::vector<std::string>& words, bool sources) {
  constexpr std::size_t kWidth = kTerminalWidth;
  std::ostringstream out;
  out << "Caregiver parameters (population.KEY = { mean, sd }, drawn per dyad):\n";
  for (const auto& p : models::kCaregiverParams) {
    const std::string key = "population." + std::string(p.key);
    if (!wanted(key, words)) continue;
    out << "  " << key << " = " << num(p.mean) << " ± " << num(p.sd) << "  (" << num(p.lo) << " to "
        << num(p.hi) << " " << p.unit << ", "
        << (p.family == models::Family::kBeta ? "Beta" : "log-normal") << ")\n"
        << wrapped(p.description, "      ", "      ", kWidth);
    if (sources) out << wrapped("source: " + std::string(p.source), "      ", "      ", kWidth);
  }
  out << "\nChild parameters (child.KEY = value, the same for every child of an arm):\n";
  for (const auto& p : models::kChildParams) {
    const std::string key = "child." + std::string(p.key);
    if (!wanted(key, words)) continue;
    out << "  " << key << " = " << num(p.value) << "  (" << num(p.lo) << " to " << num(p.hi) << " "
        << p.unit << ")\n"
        << wrapped(p.description, "      ", "      ", kWidth);
    if (sources) out << wrapped("source: " + std::string(p.source), "      ", "      ", kWidth);
  }
  if (!sources) {
    out << "\nSources: attachsim parameters WORD (the parameters whose key contains WORD, with "
           "sources),\nor --markdown (every table, as in docs/model.md). Metrics: --metrics.\n";
  }
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
      std::cout << "Usage: attachsim parameters [WORD ...] [--markdown | --metrics]\n\n"
                   "Lists every model parameter: config key, default, range, unit and meaning, in "
                   "at most 100 columns.\n  WORD ...    only the parameters whose key contains a "
                   "WORD, with their sources\n  --markdown  every table (parameters with sources, "
                   "metrics) as Markdown: the tables in docs/model.md\n  --metrics   the metric "
                   "table as Markdown (as in docs/output-format.md)\n";
      return 0;
    }
  }
  if (args.size() == 1 && args[0] == "--metrics") {
    std::cout << metrics_markdown();
    return 0;
  }
  if (args.size() == 1 && args[0] == "--markdown") {
    std::cout << parameters_markdown();
    return 0;
  }
  for (const auto& a : args) {
    if (a.starts_with("-")) {
      throw sim::InputError("attachsim parameters: unexpected '" + a +
                            "'; allowed: words to look for, --markdown, --metrics, --help");
    }
  }
  const std::string listing = parameters_listing(args, !args.empty());
  if (!args.empty() && listing.find("\n  ") == std::string::npos) {
    throw sim::InputError("attachsim parameters: no parameter key contains '" + args[0] +
                          "'; allowed: part of a key, e.g. responsiveness or repair");
  }
  std::cout << listing;
  return 0;
}

}  // namespace attachsim::cli
