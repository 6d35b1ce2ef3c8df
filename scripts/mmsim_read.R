# Tidy data frames from an mmsim run file with rhdf5 (Debian: r-bioc-rhdf5): one long table with a
# `strategy` column, every enum column (and `strategy`) a factor whose levels are the labels in code order.
#
#   source("scripts/mmsim_read.R")
#   patients <- mmsim_read_table("results/run.h5", "patients")
#   table(patients$strategy, patients$final_state)     # counts by label, every level shown
#   mmsim_strategies("results/run.h5"); mmsim_tables("results/run.h5")
#
# From the command line it writes the same rows as `mmsim export` (CSV, labels, NA as empty):
#   Rscript scripts/mmsim_read.R RESULT.h5 patients > patients.csv
# uint64 columns (patient indices) are read as doubles, exact below 2^53. (hdf5r returns enum columns as
# `factor_ext`, on which table() silently counts zeros; this reader does not use it.)
suppressPackageStartupMessages(library(rhdf5))

mmsim_root_attributes <- function(path) {
  a <- h5readAttributes(path, "/")
  if (is.null(a$filetype) || a$filetype != "run") stop(path, " is not an mmsim run file")
  if (as.integer(a$schema_version[1]) != 1L) stop(path, " uses schema ", a$schema_version[1], ".x; this reader reads 1.x")
  a
}

mmsim_strategies <- function(path) as.character(mmsim_root_attributes(path)$strategy_order)

mmsim_tables <- function(path) {
  s <- mmsim_strategies(path)
  if (length(s) == 0) return(character())
  l <- h5ls(path, datasetinfo = FALSE)
  group <- paste0("/strategies/", s[1])
  sort(l$name[l$group == group & l$otype == "H5I_DATASET"])
}

# rhdf5 returns a compound dataset as a data.frame of 1-d arrays, enum members as factors whose levels are
# the labels in code order, and uint8 members as `raw`: plain vectors, factors and integers here.
mmsim_tidy_columns <- function(d) {
  for (name in names(d)) {
    x <- d[[name]]
    if (is.factor(x)) {
      d[[name]] <- factor(as.character(x), levels = levels(x))
    } else if (is.raw(x)) {
      d[[name]] <- as.integer(x)
    } else {
      d[[name]] <- as.vector(x)
    }
  }
  d
}

mmsim_read_table <- function(path, table, strategies = NULL) {
  order <- mmsim_strategies(path)
  if (is.null(strategies)) strategies <- order
  unknown <- setdiff(strategies, order)
  if (length(unknown) > 0) stop(path, " has no strategy ", paste(unknown, collapse = ", "))
  listing <- h5ls(path, datasetinfo = FALSE)
  parts <- list()
  for (s in order[order %in% strategies]) {
    dataset <- paste0("/strategies/", s, "/", table)
    group <- paste0("/strategies/", s)
    if (!any(listing$group == group & listing$name == table & listing$otype == "H5I_DATASET"))
      stop(path, " has no table '", table, "' for strategy '", s, "'")
    d <- mmsim_tidy_columns(h5read(path, dataset, bit64conversion = "double"))
    parts[[s]] <- cbind(data.frame(strategy = factor(rep(s, nrow(d)), levels = order)), d)
  }
  h5closeAll()
  out <- do.call(rbind, unname(parts))
  rownames(out) <- NULL
  out
}

if (sys.nframe() == 0L) {
  args <- commandArgs(trailingOnly = TRUE)
  if (length(args) != 2) {
    message("usage: Rscript scripts/mmsim_read.R RESULT.h5 TABLE")
    quit(status = 2)
  }
  d <- tryCatch(mmsim_read_table(args[1], args[2]), error = function(e) {
    message("mmsim_read.R: ", conditionMessage(e))
    quit(status = 2)
  })
  # Doubles with 17 significant digits (they read back exactly); labels quoted, numbers not.
  labels <- which(vapply(d, is.factor, TRUE))
  for (name in names(d)) {
    if (is.double(d[[name]])) d[[name]] <- ifelse(is.na(d[[name]]), NA, sprintf("%.17g", d[[name]]))
  }
  write.csv(d, stdout(), row.names = FALSE, na = "", quote = labels)
}
