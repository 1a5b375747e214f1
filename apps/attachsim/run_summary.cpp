#include "apps/attachsim/run_summary.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <map>
#include <optional>
#include <sstream>
#include <vector>

#include "apps/attachsim/commands.hpp"
#include "apps/attachsim/text.hpp"
#include "sim/config.hpp"

namespace attachsim::cli {
namespace {

constexpr double kZ = sim::kZ95;

struct ArmLine {
  std::string arm;
  std::string description;
  std::size_t n = 0;
  std::optional<sim::MetricAtEnd> trust, felt;
  std::string ssp_age;  // "12mo" (the first Strange Situation), empty if none
  std::size_t secure = 0, assessed = 0;
};

std::optional<sim::MetricAtEnd> metric(const sim::ArmOverview& arm, const std::string& name) {
  for (const auto& m : arm.metrics) {
    if (m.info.name == name) return m;
  }
  return std::nullopt;
}

ArmLine line_of(const sim::ArmOverview& arm) {
  ArmLine l;
  l.arm = arm.arm.empty() ? arm.name : arm.arm;
  l.description = arm.description;
  l.n = arm.n_dyads;
  l.trust = metric(arm, "trust");
  l.felt = metric(arm, "felt_security");
  for (const auto& e : arm.extra) {  // the first Strange Situation's class (ssp/age_<M>/class)
    if (!e.path.starts_with("ssp/age_") || !e.path.ends_with("/class") || e.codes.empty()) continue;
    l.ssp_age = e.path.substr(8, e.path.size() - 8 - 6);
    for (std::size_t c = 0; c < e.codes.size(); ++c) {
      l.assessed += e.code_counts[c];
      if (e.codes[c].label == "B") l.secure += e.code_counts[c];
    }
    break;
  }
  return l;
}

// "12mo" -> "12 months".
std::string age_words(const std::string& label) {
  return label.ends_with("mo") ? label.substr(0, label.size() - 2) + " months" : label;
}

std::string percent(double share) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(0) << 100.0 * share << "%";
  return out.str();
}

// "0.32 ± 0.01": a mean and the half-width of its 95% interval.
std::string mean_interval(const std::optional<sim::MetricAtEnd>& m, std::size_t n) {
  if (!m || !std::isfinite(m->mean)) return "-";
  std::ostringstream out;
  out << std::fixed << std::setprecision(2) << m->mean << " ± "
      << kZ * m->sd / std::sqrt(static_cast<double>(std::max<std::size_t>(n, 1)));
  return out.str();
}

// The headline of one scenario, written from its numbers.
std::string headline(const std::string& scenario, const std::vector<ArmLine>& arms,
                     bool trust_first) {
  std::ostringstream out;
  out << scenario << ": ";
  const bool classes = !trust_first && std::all_of(arms.begin(), arms.end(),
                                                   [](const ArmLine& a) { return a.assessed > 0; });
  if (classes) {
    const std::string age = age_words(arms.front().ssp_age);
    if (arms.size() == 1) {
      const ShareInterval s = wilson_interval(arms[0].secure, arms[0].assessed);
      out << percent(s.share) << " of the children are classified secure at " << age
          << " (95% interval " << percent(s.low) << " to " << percent(s.high) << ").";
      return out.str();
    }
    auto share = [](const ArmLine& a) {
      return static_cast<double>(a.secure) / static_cast<double>(a.assessed);
    };
    const auto [lo, hi] = std::minmax_element(
        arms.begin(), arms.end(),
        [&](const ArmLine& a, const ArmLine& b) { return share(a) < share(b); });
    const double p1 = share(*hi), p2 = share(*lo);
    const double se = std::sqrt(p1 * (1 - p1) / static_cast<double>(hi->assessed) +
                                p2 * (1 - p2) / static_cast<double>(lo->assessed));
    const double d = p1 - p2;
    out << "classified secure at " << age << ": " << percent(p1) << " in '" << hi->arm << "', "
        << percent(p2) << " in '" << lo->arm << "'";
    if (d - kZ * se > 0.0) {
      out << " — a difference of " << std::fixed << std::setprecision(0) << 100 * d
          << " points (95% interval " << 100 * (d - kZ * se) << " to " << 100 * (d + kZ * se)
          << ").";
    } else {
      out << " — the arms do not differ in security beyond chance (difference " << std::fixed
          << std::setprecision(0) << 100 * d << " points, 95% interval " << 100 * (d - kZ * se)
          << " to " << 100 * (d + kZ * se) << ").";
    }
    return out.str();
  }
  // No Strange Situation, or a scenario whose headline is trust: trust at the end.
  const bool trust =
      std::all_of(arms.begin(), arms.end(), [](const ArmLine& a) { return a.trust.has_value(); });
  if (!trust) return out.str() + "see the table.";
  const auto [lo, hi] = std::minmax_element(
      arms.begin(), arms.end(),
      [](const ArmLine& a, const ArmLine& b) { return a.trust->mean < b.trust->mean; });
  out << std::fixed << std::setprecision(2) << "trust at the end " << hi->trust->mean;
  if (arms.size() == 1) return out.str() + " (0 to 1).";
  const double d = hi->trust->mean - lo->trust->mean;
  const double se = std::sqrt(hi->trust->sd * hi->trust->sd / static_cast<double>(hi->n) +
                              lo->trust->sd * lo->trust->sd / static_cast<double>(lo->n));
  out << " in '" << hi->arm << "' against " << lo->trust->mean << " in '" << lo->arm << "' (0 to 1)"
      << (d - kZ * se > 0.0 ? "" : "; the arms do not differ beyond chance") << "; difference " << d
      << ", 95% interval " << d - kZ * se << " to " << d + kZ * se << ".";
  return out.str();
}

}  // namespace

namespace {

// Each scenario's `headline` setting, from the resolved configuration the file records (one TOML
// document per scenario, each opening with "# attachsim resolved configuration"). A scenario the
// configuration does not name gets the default, "secure".
std::map<std::string, std::string> headlines(const std::string& config) {
  static constexpr std::string_view kMarker = "# attachsim resolved configuration";
  std::map<std::string, std::string> out;
  for (std::size_t at = config.find(kMarker); at != std::string::npos;) {
    const std::size_t next = config.find(kMarker, at + kMarker.size());
    try {
      const toml::table doc =
          sim::load_toml_text(std::string_view(config).substr(
                                  at, next == std::string::npos ? std::string::npos : next - at),
                              "config");
      if (const auto name = doc["scenario"]["name"].value<std::string>()) {
        out[*name] = doc["scenario"]["headline"].value_or(std::string("secure"));
      }
    } catch (const std::exception&) {  // an unreadable chunk: the default headline
    }
    at = next;
  }
  return out;
}

}  // namespace

void print_run_summary(std::ostream& out, const std::string& path, const sim::FileSummary& file) {
  std::map<std::string, std::string> headline_of = headlines(file.provenance.config);
  // Scenarios in file order, each with its arms.
  std::vector<std::string> order;
  std::map<std::string, std::vector<ArmLine>> by_scenario;
  for (const auto& arm : file.arms) {
    if (!by_scenario.contains(arm.scenario)) order.push_back(arm.scenario);
    by_scenario[arm.scenario].push_back(line_of(arm));
  }
  // Several scenarios (the nine lessons): a headline each, so that the summary stays on one
  // screen; the per-arm lines come with one scenario (or in inspect and the report).
  const bool headlines_only = order.size() > 2;
  if (headlines_only) out << "\n";
  for (const std::string& scenario : order) {
    const std::vector<ArmLine>& arms = by_scenario[scenario];
    if (headlines_only) {
      out << wrapped(headline(scenario, arms, headline_of[scenario] == "trust"), "", "    ");
      continue;
    }
    out << "\n" << wrapped(headline(scenario, arms, headline_of[scenario] == "trust"), "", "    ");
    std::size_t width = 4;
    for (const auto& a : arms) width = std::max(width, a.arm.size());
    const std::string age = arms.front().ssp_age;
    out << "  " << pad_right("arm", width + 2) << pad_right("trust", 15)
        << pad_right("felt security", 16);
    if (!age.empty()) out << "secure at " << age_words(age);
    out << "\n";
    for (const auto& a : arms) {
      out << "  " << pad_right(a.arm, width + 2) << pad_right(mean_interval(a.trust, a.n), 15)
          << pad_right(mean_interval(a.felt, a.n), 16);
      if (a.assessed > 0) {
        const ShareInterval si = wilson_interval(a.secure, a.assessed);
        out << percent(si.share) << " [" << percent(si.low) << ", " << percent(si.high) << "]";
      }
      out << "\n";
    }
  }
  if (headlines_only) {
    out << "\n(" << order.size()
        << " scenarios: a headline each; the arms of one: attachsim run <scenario>, or the "
           "report)\n";
  } else {
    out << "\n(means at the end of the horizon ± half their 95% interval; trust and felt "
           "security run 0 to 1;\n secure: class B in the virtual Strange Situation, with its 95% "
           "interval)\n";
  }
  out << "\nWrote " << path << ". Next: attachsim report " << path
      << " -o report.html (charts),\n      attachsim inspect " << path
      << " (every metric), or run again with --verbose.\n\n"
      << kNotice << "\n";
}

}  // namespace attachsim::cli
