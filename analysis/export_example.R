# Reading attachsim's CSV export in R (docs/export.md): base R only, no packages.
#
#   attachsim run magic-of-repair -o results.h5
#   attachsim export results.h5 -o results_csv
#   Rscript analysis/export_example.R results_csv
#
# check.names = FALSE keeps column names such as "ssp/age_12mo/class" as they are.
# attachsim illustrates published findings about populations; it does not assess or predict any
# real child or parent.

args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args) >= 1) args[[1]] else "results_csv"
read <- function(name) read.csv(file.path(dir, name), check.names = FALSE)

dictionary <- read("dictionary.csv")

if (file.exists(file.path(dir, "sweep.csv"))) {
  # A sweep: one row per arm, point and replicate.
  sweep <- read("sweep.csv")
  swept <- dictionary$column[grepl("^swept parameter", dictionary$description)]
  cat("swept:", swept, "\n")
  effect <- aggregate(sweep[["trust"]], by = list(value = sweep[[swept[1]]]), FUN = mean)
  names(effect)[2] <- "trust"
  print(effect)  # main effect of the first swept parameter on trust at the last record
} else {
  # A run: metrics per arm, dyad and record; per_dyad per arm and dyad.
  metrics <- read("metrics.csv")
  per_dyad <- read("per_dyad.csv")
  cat("units of trust:", dictionary$units[dictionary$column == "trust"], "\n")
  # Mean trust per arm at the last record.
  last <- metrics[metrics$record == max(metrics$record), ]
  print(aggregate(trust ~ arm, data = last, FUN = mean))
  # Share of each Strange Situation class per arm at 12 months (if assessed).
  if ("ssp/age_12mo/class" %in% names(per_dyad)) {
    print(prop.table(table(per_dyad$arm, per_dyad[["ssp/age_12mo/class"]]), margin = 1))
  }
  # Trust against the caregiver's drawn responsiveness, by arm.
  joined <- merge(last, per_dyad[, c("arm", "dyad", "param/responsiveness")])
  print(by(joined, joined$arm, function(d) cor(d$trust, d[["param/responsiveness"]])))
}
