// Per-record summaries over dyads (mean, sd and quantiles), as the results file stores them under
// /scenarios/<arm>/summary/ (docs/output-format.md).
#pragma once

#include <cstddef>
#include <vector>

namespace attachsim::sim {

// Per-record statistics over dyads of one metric; each vector has one entry per record.
// NaN values are skipped; a record whose values are all NaN (or with no dyads) gets NaN for
// every statistic. sd is the sample standard deviation (n - 1 denominator; 0 when n = 1).
// Quantiles interpolate linearly between order statistics (Hyndman-Fan type 7, numpy's default),
// evaluated as numpy does so numpy.percentile(values.astype(float64), q) reproduces them.
struct Summary {
  std::vector<double> mean, sd, p10, p50, p90;
};

// `dyads_by_records` is row-major [n_dyads x n_records] (as MetricTable::metric()).
Summary summarize(const float* dyads_by_records, std::size_t n_dyads, std::size_t n_records);

// Fills record `record` of `summary` from the non-NaN `values` of one record (reordered).
void summarize_values(std::vector<double>& values, Summary& summary, std::size_t record);

}  // namespace attachsim::sim
