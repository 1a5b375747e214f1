// Configuration machinery: loading TOML documents, applying `--set key=value` overrides, and
// reading typed, range-checked values whose errors name the file, line, key and allowed values.
//
// Generic: it knows nothing of the model. The model declares its keys (with units, defaults and
// ranges) and reads them through ConfigTable; every key a table holds must be read, or
// `reject_unknown()` reports it as unknown, listing the keys allowed there.
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace attachsim::sim {

// Parses a TOML file. Throws InputError if it is missing or malformed (with line and column).
// `display_name` is used in messages and recorded as the nodes' source path.
toml::table load_toml_file(const std::string& path);

// Parses TOML text (a built-in scenario); `display_name` names it in messages.
toml::table load_toml_text(std::string_view text, const std::string& display_name);

// Applies one `key.path=value` override to `doc`. The value is read as a TOML value
// (`0.8`, `true`, `"text"`, `{ mean = 0.5, sd = 0.1 }`); anything that is not valid TOML is taken
// as a bare string. Intermediate tables are created as needed. When a segment names an array of
// tables, the next segment selects the element whose `name` equals it
// (`arm.responsive.population.responsiveness.mean=0.9`), or every element for `*`
// (`arm.*.population.responsiveness.mean=0.9`). Throws InputError when the assignment is
// malformed or selects nothing.
void apply_override(toml::table& doc, std::string_view assignment);

// The names of the elements of the array of tables `array` (e.g. the arms) that give their own
// value for the key an override `key.path=value` sets at the top level — so that, where elements
// take precedence over the top level, the override does not reach them: the element has the
// key's full path, or a prefix of it that is not a table. Empty when the override is aimed at
// the elements themselves (`arm.…`) or none has its own value.
std::vector<std::string> shadowing_elements(const toml::table& doc, std::string_view assignment,
                                            std::string_view array);

// "file.toml:12:5" for a node read from a file, "--set key=value" for an override, or `fallback`
// when the node has no source (created programmatically).
std::string where(const toml::node& node, std::string_view fallback);

// Quotes a string as a TOML basic string.
std::string toml_quote(std::string_view text);

// Formats a double so that it reads back to the same value and looks like a TOML float.
std::string toml_number(double value);

// Typed, checked access to one table of the configuration. Not thread-safe; cheap to create.
class ConfigTable {
 public:
  // `prefix` is the dotted path of this table ("" at the root, "population." below it);
  // `source` names the document for keys that are absent (defaults) or have no location.
  ConfigTable(const toml::table* table, std::string prefix, std::string source);

  bool has(std::string_view key) const;
  bool is_table(std::string_view key) const;

  // A number (TOML integer or float) in [lo, hi]; `fallback` when the key is absent.
  double number(std::string_view key, double fallback, double lo, double hi, std::string_view unit);
  // An integer in [lo, hi].
  std::int64_t integer(std::string_view key, std::int64_t fallback, std::int64_t lo,
                       std::int64_t hi, std::string_view unit);
  std::string string(std::string_view key, std::string fallback);
  // An array of numbers, each in [lo, hi], strictly increasing; `fallback` when absent.
  std::vector<double> increasing_numbers(std::string_view key, std::vector<double> fallback,
                                         double lo, double hi, std::string_view unit);
  bool boolean(std::string_view key, bool fallback);
  // An array of distinct strings, each one of `allowed`; `fallback` when absent.
  std::vector<std::string> strings_from(std::string_view key, std::vector<std::string> fallback,
                                        const std::vector<std::string>& allowed);

  // A sub-table (nullptr-table view when absent). Errors if the key holds another type.
  ConfigTable table(std::string_view key);
  // An array of tables (empty when absent).
  std::vector<ConfigTable> table_array(std::string_view key);

  // Throws InputError naming the first key that was never read, and the allowed keys.
  void reject_unknown() const;

  // Throws InputError located at `key` (or at the table if the key is absent).
  [[noreturn]] void fail(std::string_view key, const std::string& what) const;

  const std::string& prefix() const { return prefix_; }
  const std::string& source() const { return source_; }
  std::string location(std::string_view key) const;

 private:
  const toml::node* find(std::string_view key);

  const toml::table* table_;
  std::string prefix_;
  std::string source_;
  std::set<std::string, std::less<>> known_;  // keys the reader asked for
};

}  // namespace attachsim::sim
