// The results file of a run: writing a RunResult to HDF5 and reading it back, and what every
// attachsim file carries at its root (provenance, schema_version).
//
// Layout (schema_version 2), documented for users in docs/output-format.md:
//   /                              attrs attachsim_version, schema_version, created_utc, seed,
//                                        command_line, config
//   /scenarios/<arm>/              attrs scenario, arm, description, seed, n_dyads, n_records
//   /scenarios/<arm>/time_days     float64 [records]
//   /scenarios/<arm>/params/<p>    float64 [dyads]
//   /scenarios/<arm>/metrics/<m>   float32 [dyads x records], chunked, shuffle + deflate 4
//   /scenarios/<arm>/summary/<m>/{mean,sd,p10,p50,p90}   float64 [records]
//   /scenarios/<arm>/<path>        int8 or float32 [dyads] or [dyads x k]: ArmResult::extra,
//                                  datasets the model declares (e.g. ssp/age_12mo/class)
// Every dataset has string attributes `units` and `description`. Groups keep creation order, so
// arms, metrics, parameters and model-declared datasets read back in the order they were written.
//
// None of these functions is thread-safe (serial HDF5); call them from one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/h5.hpp"
#include "sim/results.hpp"

namespace attachsim::sim {

inline constexpr std::int64_t kSchemaVersion = 2;

// Writes `result` to `<path>.tmp-<pid>` in the same directory, closes and fsyncs it, then renames
// it onto `path` (atomic on POSIX). On any failure the temporary file is removed, a file already
// at `path` is left untouched, and RuntimeError is thrown. Summaries run in parallel over records
// (oneTBB, in the caller's arena); results do not depend on the thread count.
void write_results(const std::string& path, const RunResult& result);

// The MPI build (docs/hpc.md): a run split across the processes of a job, written into one file
// with collective I/O. Every process calls this with its own rows of every arm: local.arms[a]
// holds rows [rows[a].first, rows[a].first + n) of the arm's rows[a].total dyads (n may be 0).
// Provenance and arm metadata must be the same on every process. Per-record summaries are
// computed from whole columns (each metric's rows gathered to one process), so every dataset
// equals what write_results writes for the whole run. Rank 0 renames the file into place after
// every process has closed it. On a failure the calling process removes the temporary file and
// throws; the caller must then end the job (distributed::abort), as the others wait in HDF5.
struct ArmRows {
  std::size_t first = 0;
  std::size_t total = 0;
};
void write_results_distributed(const std::string& path, const RunResult& local,
                               const std::vector<ArmRows>& rows);

// The current time as ISO 8601 UTC with second resolution, e.g. "2025-03-01T12:34:56Z" (for
// Provenance::created_utc, which write_results stores as given).
std::string utc_now_iso8601();

// One entry of a `codes` attribute: the int8 value and its label.
struct Code {
  int value = 0;  // -128..127
  std::string label;
};

// Parses a `codes` attribute of an int8 dataset, e.g. "0=A,1=B,2=C,3=D": comma-separated
// `value=label` items, value a decimal integer in -128..127, label non-empty; spaces around items,
// values and labels are ignored. nullopt if malformed, empty or if a value repeats.
std::optional<std::vector<Code>> parse_codes(const std::string& text);

// --- the root of every attachsim file -----------------------------------------------------------

// Writes the provenance attributes (attachsim_version, schema_version, created_utc, seed,
// command_line, config, attachsim_build, attachsim_build_type) on `file`.
void write_provenance(const h5::Object& file, const Provenance& provenance);

// Opens an attachsim file given as input, for reading: `path` must be an existing, readable
// regular file (not a directory, FIFO, device or socket), HDF5, with attachsim_version and a
// schema_version from 1 to kSchemaVersion, and hold the group `group` ("scenarios" for a run's
// results, "sweep" for a sweep's). Throws InputError naming the file and what is wrong.
h5::Object open_attachsim_file(const std::string& path, const std::string& group);

// The provenance attributes of an open attachsim file (the build fields empty when absent).
// Throws RuntimeError when one is missing or of the wrong type.
Provenance read_provenance(const h5::Object& file);

// --- reading -----------------------------------------------------------------------------------

// One metric's summary at the last record (NaN when the arm has no records).
struct MetricAtEnd {
  ColumnInfo info;
  double mean = 0.0, sd = 0.0, p10 = 0.0, p50 = 0.0, p90 = 0.0;
};

// A model-declared dataset without its data (except for coded int8 datasets, which are counted).
struct ExtraOverview {
  std::string path;   // under the arm group
  ColumnInfo info;    // name: the last segment of `path`
  std::string dtype;  // "int8" or "float32"
  std::vector<std::size_t> shape;
  std::vector<std::pair<std::string, std::string>> string_attributes;  // besides units, description
  // For an int8 dataset whose `codes` attribute parses: the codes, how many values equal each, and
  // how many match none (over all values: dyads for a 1-D dataset). Empty otherwise.
  std::vector<Code> codes;
  std::vector<std::size_t> code_counts;
  std::size_t uncoded = 0;
};

struct ArmOverview {
  std::string name;  // group name under /scenarios/
  std::string scenario;
  std::string arm;
  std::string description;
  std::uint64_t seed = 0;
  std::size_t n_dyads = 0;
  std::size_t n_records = 0;
  std::vector<double> time_days;
  std::vector<ColumnInfo> params;
  std::vector<MetricAtEnd> metrics;
  std::vector<ExtraOverview> extra;
};

struct FileSummary {
  Provenance provenance;
  std::int64_t schema_version = 0;
  std::vector<ArmOverview> arms;  // in the order they were written
};

// Reads provenance, arm attributes, time axes, last-record summaries and the list of model-declared
// datasets, without loading per-dyad data other than coded int8 datasets (one byte per value).
// Throws InputError if `path` is missing, unreadable, not HDF5, not an attachsim results file, of a
// newer schema, or malformed.
FileSummary read_summary(const std::string& path);

// Reads the whole file back into a RunResult (counters and simulate_seconds are not stored and
// come back as zero). Loads every metric in memory: meant for tests and small files. Throws as
// read_summary.
//
// Model-declared datasets (ArmResult::extra, and ArmOverview::extra above) are found by walking
// every member of an arm other than time_days, params, metrics and summary, depth first in
// creation order. That is the order they were written in when datasets sharing a group were
// listed together (writing "a/x", "b/y", "a/z" reads back as "a/x", "a/z", "b/y"). Datasets there
// that are not int8 or float32 of shape [n_dyads] or [n_dyads, k] are skipped (a newer writer's
// additions, which the versioning rules let readers ignore), and so are non-string attributes.
RunResult read_results(const std::string& path);

}  // namespace attachsim::sim
