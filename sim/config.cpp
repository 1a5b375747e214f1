#include "sim/config.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <sstream>
#include <vector>

#include "sim/errors.hpp"

namespace attachsim::sim {
namespace {

std::string describe_type(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    default:
      return "a date or time";
  }
}

std::string join(const std::set<std::string, std::less<>>& keys) {
  std::string out;
  for (const auto& k : keys) {
    if (!out.empty()) out += ", ";
    out += k;
  }
  return out.empty() ? "(none)" : out;
}

std::string parse_error_message(const toml::parse_error& err, std::string_view name) {
  const auto& begin = err.source().begin;
  std::ostringstream msg;
  msg << name << ":" << begin.line << ":" << begin.column
      << ": malformed TOML: " << err.description();
  return msg.str();
}

}  // namespace

toml::table load_toml_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw InputError("cannot open scenario file '" + path + "': " + std::strerror(errno) +
                     " (give a path to a .toml file or the name of a built-in scenario; "
                     "`attachsim scenarios` lists them)");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return load_toml_text(text.str(), path);
}

toml::table load_toml_text(std::string_view text, const std::string& display_name) {
  try {
    return toml::parse(text, display_name);
  } catch (const toml::parse_error& err) {
    throw InputError(parse_error_message(err, display_name));
  }
}

void apply_override(toml::table& doc, std::string_view assignment) {
  const std::string origin = "--set " + std::string(assignment);
  const auto eq = assignment.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    throw InputError(origin + ": expected key=value, for example --set scenario.dyads=500");
  }
  // Spaces around the key and the value are not part of them (--set "a.b = 0.4").
  auto trim = [](std::string_view text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) return std::string_view{};
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
  };
  const std::string_view path = trim(assignment.substr(0, eq));
  const std::string_view value_text = trim(assignment.substr(eq + 1));
  if (path.empty() || value_text.empty()) {
    throw InputError(origin + ": expected key=value, for example --set scenario.dyads=500");
  }

  // The value as TOML; a bare word such as `community` is taken as a string.
  std::string value_line = "value = " + std::string(value_text);
  try {
    (void)toml::parse(value_line, origin);
  } catch (const toml::parse_error& e) {
    // Something that starts like a number but is not one (18446744073709551616 overflows a
    // 64-bit integer) is an error here, not silently a string.
    const char first = value_text.empty() ? ' ' : value_text.front();
    if ((first >= '0' && first <= '9') || first == '-' || first == '+' || first == '.') {
      throw InputError(origin + ": '" + std::string(value_text) + "' is not a valid number (" +
                       std::string(e.description()) + ")");
    }
    // Quoted with this --set as its source, so that messages about the value name it.
    try {
      value_line = "value = " + toml_quote(value_text);
      (void)toml::parse(value_line, origin);
    } catch (const toml::parse_error& quoted) {  // not even text: invalid UTF-8, say
      throw InputError(origin + ": the value is not valid text (" +
                       std::string(quoted.description()) + ")");
    }
  }

  std::vector<std::string> segments;
  for (std::size_t start = 0;;) {
    const auto dot = path.find('.', start);
    segments.emplace_back(path.substr(start, dot - start));
    if (segments.back().empty()) {
      throw InputError(origin + ": empty segment in key '" + std::string(path) + "'");
    }
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }

  // Walks segments [i, end) from `table` and assigns the value at the last; an array of tables
  // selects the element named by the next segment, or every element for `*`.
  const std::function<void(toml::table*, std::size_t)> assign = [&](toml::table* table,
                                                                    std::size_t i) {
    for (; i + 1 < segments.size(); ++i) {
      toml::node* node = table->get(segments[i]);
      if (node == nullptr && segments[i + 1] == "*") return;  // no elements here to set
      if (node == nullptr) {  // a new table, whose origin is this --set (for messages about it)
        toml::table holder = toml::parse("t = {}", origin);
        toml::table* fresh = holder["t"].as_table();
        fresh->is_inline(false);
        table = table->insert(segments[i], std::move(*fresh)).first->second.as_table();
        continue;
      }
      if (auto* sub = node->as_table()) {
        table = sub;
        continue;
      }
      if (auto* arr = node->as_array();
          arr != nullptr && arr->is_array_of_tables() && i + 2 < segments.size()) {
        const std::string& name = segments[i + 1];
        std::vector<toml::table*> matches;
        std::string names;
        for (auto& element : *arr) {
          auto* t = element.as_table();
          const auto n = (*t)["name"].value<std::string>();
          if (name == "*" || (n && *n == name)) matches.push_back(t);
          if (n) names += (names.empty() ? "" : ", ") + *n;
        }
        if (matches.empty()) {
          throw InputError(origin + ": no element of '" + segments[i] + "' is named '" + name +
                           "'; names there: " + (names.empty() ? "(none)" : names) +
                           " (or * for every element)");
        }
        for (toml::table* match : matches) assign(match, i + 2);
        return;
      }
      throw InputError(origin + ": '" + segments[i] + "' is " + describe_type(*node) +
                       ", not a table, so it has no key '" + segments[i + 1] + "'");
    }
    // Parsed afresh for each place it goes, so that each keeps this --set as its source.
    toml::table parsed = toml::parse(value_line, origin);
    table->insert_or_assign(segments.back(), std::move(*parsed.get("value")));
  };
  assign(&doc, 0);
}

std::vector<std::string> shadowing_elements(const toml::table& doc, std::string_view assignment,
                                            std::string_view array) {
  const auto eq = assignment.find('=');
  if (eq == std::string_view::npos) return {};
  std::string_view path = assignment.substr(0, eq);
  const auto first = path.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  path = path.substr(first, path.find_last_not_of(" \t") - first + 1);
  if (path.starts_with(std::string(array) + ".")) return {};  // already aimed at elements
  const toml::array* elements = doc[array].as_array();
  if (elements == nullptr) return {};
  std::vector<std::string> out;
  for (const auto& element : *elements) {
    const auto* table = element.as_table();
    if (table == nullptr) continue;
    // The element's own value at `path`, or at a prefix of it that is not a table (a scalar
    // `population.responsiveness = 0.5` replaces the whole distribution).
    const toml::node* node = table;
    bool shadows = false;
    for (std::size_t start = 0; node != nullptr;) {
      const auto dot = path.find('.', start);
      const auto* sub = node->as_table();
      if (sub == nullptr) {
        shadows = start > 0;
        break;
      }
      node = sub->get(path.substr(start, dot - start));
      if (dot == std::string_view::npos) {
        shadows = node != nullptr;
        break;
      }
      start = dot + 1;
    }
    if (shadows) out.push_back((*table)["name"].value_or(std::string("(unnamed)")));
  }
  return out;
}

std::string where(const toml::node& node, std::string_view fallback) {
  const auto& src = node.source();
  if (!src.path || src.path->empty()) return std::string(fallback);
  if (src.path->rfind("--set ", 0) == 0) return *src.path;
  return *src.path + ":" + std::to_string(src.begin.line) + ":" + std::to_string(src.begin.column);
}

std::string toml_quote(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string toml_number(double value) {
  char buf[64];
#if defined(__EMSCRIPTEN__)
  // Emscripten 3.1.6's libc++ has no floating-point std::to_chars: the shortest %g text that reads
  // back as the same double (std::to_chars' shortest round trip, in %g's notation).
  int length = 0;
  for (int precision = 1; precision <= 17; ++precision) {
    length = std::snprintf(buf, sizeof buf, "%.*g", precision, value);
    if (!std::isfinite(value) || std::strtod(buf, nullptr) == value) break;
  }
  std::string out(buf, static_cast<std::size_t>(length));
#else
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  std::string out(buf, end);
#endif
  if (out.find_first_of(".eEn") == std::string::npos) out += ".0";  // "n": nan/inf
  return out;
}

ConfigTable::ConfigTable(const toml::table* table, std::string prefix, std::string source)
    : table_(table), prefix_(std::move(prefix)), source_(std::move(source)) {}

bool ConfigTable::has(std::string_view key) const {
  return table_ != nullptr && table_->contains(key);
}

bool ConfigTable::is_table(std::string_view key) const {
  return table_ != nullptr && table_->get(key) != nullptr && table_->get(key)->is_table();
}

const toml::node* ConfigTable::find(std::string_view key) {
  known_.emplace(key);
  return table_ == nullptr ? nullptr : table_->get(key);
}

std::string ConfigTable::location(std::string_view key) const {
  if (table_ != nullptr) {
    if (const toml::node* node = table_->get(key)) return where(*node, source_);
    return where(*table_, source_);
  }
  return source_;
}

void ConfigTable::fail(std::string_view key, const std::string& what) const {
  throw InputError(location(key) + ": '" + prefix_ + std::string(key) + "' " + what);
}

double ConfigTable::number(std::string_view key, double fallback, double lo, double hi,
                           std::string_view unit) {
  const toml::node* node = find(key);
  if (node == nullptr) return fallback;
  std::ostringstream allowed;
  allowed << "allowed: " << lo << " to " << hi << " (" << unit << ")";
  double value = 0.0;
  if (auto i = node->value_exact<std::int64_t>()) {
    value = static_cast<double>(*i);
  } else if (auto f = node->value_exact<double>()) {
    value = *f;
  } else {
    fail(key, "must be a number, got " + describe_type(*node) + "; " + allowed.str());
  }
  if (!(value >= lo && value <= hi)) {  // also rejects NaN
    std::ostringstream got;
    got << "= " << value << " is out of range; " << allowed.str();
    fail(key, got.str());
  }
  return value;
}

std::int64_t ConfigTable::integer(std::string_view key, std::int64_t fallback, std::int64_t lo,
                                  std::int64_t hi, std::string_view unit) {
  const toml::node* node = find(key);
  if (node == nullptr) return fallback;
  const std::string allowed = "allowed: integers " + std::to_string(lo) + " to " +
                              std::to_string(hi) + " (" + std::string(unit) + ")";
  const auto value = node->value_exact<std::int64_t>();
  if (!value) fail(key, "must be an integer, got " + describe_type(*node) + "; " + allowed);
  if (*value < lo || *value > hi) {
    fail(key, "= " + std::to_string(*value) + " is out of range; " + allowed);
  }
  return *value;
}

std::string ConfigTable::string(std::string_view key, std::string fallback) {
  const toml::node* node = find(key);
  if (node == nullptr) return fallback;
  const auto value = node->value_exact<std::string>();
  if (!value) fail(key, "must be a string, got " + describe_type(*node));
  return *value;
}

std::vector<double> ConfigTable::increasing_numbers(std::string_view key,
                                                    std::vector<double> fallback, double lo,
                                                    double hi, std::string_view unit) {
  const toml::node* node = find(key);
  if (node == nullptr) return fallback;
  std::ostringstream allowed;
  allowed << "allowed: an array of increasing numbers from " << lo << " to " << hi << " (" << unit
          << "), e.g. [12, 18]";
  const auto* arr = node->as_array();
  if (arr == nullptr)
    fail(key, "must be an array, got " + describe_type(*node) + "; " + allowed.str());
  std::vector<double> values;
  for (const auto& element : *arr) {
    double v = 0.0;
    if (auto i = element.value_exact<std::int64_t>()) {
      v = static_cast<double>(*i);
    } else if (auto f = element.value_exact<double>()) {
      v = *f;
    } else {
      fail(key, "holds " + describe_type(element) + "; " + allowed.str());
    }
    if (!(v >= lo && v <= hi) || (!values.empty() && v <= values.back())) {
      std::ostringstream got;
      got << "holds " << v << ", out of range or not increasing; " << allowed.str();
      fail(key, got.str());
    }
    values.push_back(v);
  }
  return values;
}

std::vector<std::string> ConfigTable::strings_from(std::string_view key,
                                                   std::vector<std::string> fallback,
                                                   const std::vector<std::string>& allowed) {
  const toml::node* node = find(key);
  if (node == nullptr) return fallback;
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
  const auto* arr = node->as_array();
  if (arr == nullptr) {
    fail(key, "must be an array of names, got " + describe_type(*node) + "; allowed: " + list);
  }
  std::vector<std::string> values;
  for (const auto& element : *arr) {
    const auto text = element.value_exact<std::string>();
    if (!text) fail(key, "holds " + describe_type(element) + "; allowed: names from " + list);
    if (std::find(allowed.begin(), allowed.end(), *text) == allowed.end()) {
      fail(key, "holds '" + *text + "'; allowed: " + list);
    }
    if (std::find(values.begin(), values.end(), *text) != values.end()) {
      fail(key, "holds '" + *text + "' twice");
    }
    values.push_back(*text);
  }
  return values;
}

bool ConfigTable::boolean(std::string_view key, bool fallback) {
  const toml::node* node = find(key);
  if (node == nullptr) return fallback;
  const auto value = node->value_exact<bool>();
  if (!value) fail(key, "must be true or false, got " + describe_type(*node));
  return *value;
}

ConfigTable ConfigTable::table(std::string_view key) {
  const toml::node* node = find(key);
  const std::string prefix = prefix_ + std::string(key) + ".";
  if (node == nullptr) return ConfigTable(nullptr, prefix, location(key));
  if (!node->is_table()) fail(key, "must be a table, got " + describe_type(*node));
  return ConfigTable(node->as_table(), prefix, source_);
}

std::vector<ConfigTable> ConfigTable::table_array(std::string_view key) {
  std::vector<ConfigTable> out;
  const toml::node* node = find(key);
  if (node == nullptr) return out;
  const auto* arr = node->as_array();
  if (arr == nullptr || !arr->is_array_of_tables()) {
    fail(key, "must be an array of tables ([[" + prefix_ + std::string(key) + "]]), got " +
                  describe_type(*node));
  }
  for (std::size_t i = 0; i < arr->size(); ++i) {
    out.emplace_back((*arr)[i].as_table(),
                     prefix_ + std::string(key) + "[" + std::to_string(i) + "].", source_);
  }
  return out;
}

namespace {

// Levenshtein distance (keys are short: a small table per comparison is fine off the hot path).
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

}  // namespace

void ConfigTable::reject_unknown() const {
  if (table_ == nullptr) return;
  for (const auto& [key, node] : *table_) {
    if (!known_.contains(key.str())) {
      // A near miss (a typo: at most a third of the key's letters wrong) is named first.
      std::string suggestion;
      std::size_t best = key.str().size() / 3 + 1;
      for (const auto& candidate : known_) {
        const std::size_t d = edit_distance(key.str(), candidate);
        if (d < best) {
          best = d;
          suggestion = candidate;
        }
      }
      throw InputError(
          where(node, source_) + ": unknown key '" + prefix_ + std::string(key.str()) + "'" +
          (suggestion.empty() ? "" : "; did you mean '" + prefix_ + suggestion + "'?") +
          "; allowed keys here: " + join(known_));
    }
  }
}

}  // namespace attachsim::sim
