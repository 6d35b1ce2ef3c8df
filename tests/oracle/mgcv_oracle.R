# Reference fits from R's mgcv for the penalized regression splines of the EVPPI regression
# (sim/stats/voi_spline.hpp; tests/unit/sim/stats/test_voi_mgcv_oracle.cpp).
#
# Usage: Rscript mgcv_oracle.R DIR
# DIR/manifest.txt lists dataset names, one a line. For each NAME:
#   DIR/NAME.csv     columns y,x1 (one parameter: gam(y ~ s(x1, bs = "cr", k = K), method = "GCV.Cp"))
#                    or y,x1,x2 (two: gam(y ~ te(x1, x2, bs = "cr", k = K), method = "GCV.Cp"))
#   DIR/NAME.params  one line "k K"
# writes DIR/NAME.out, lines "key v1 v2 ..." with 17 significant digits: knots1 (and knots2), the knots mgcv
# placed; fitted; edf (sum of the effective degrees of freedom, intercept included); gcv (the GCV score).
suppressPackageStartupMessages(library(mgcv))
args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 1) stop("usage: Rscript mgcv_oracle.R DIR")
dir <- args[1]
fmt <- function(v) sprintf("%.17g", as.numeric(v))
emit <- function(con, key, v) writeLines(paste(c(key, fmt(v)), collapse = " "), con)

cat("mgcv", as.character(packageVersion("mgcv")), "\n", file = file.path(dir, "r_version.txt"))
for (name in readLines(file.path(dir, "manifest.txt"))) {
  d <- read.csv(file.path(dir, paste0(name, ".csv")))
  k <- as.integer(strsplit(readLines(file.path(dir, paste0(name, ".params")))[1], " ")[[1]][2])
  if ("x2" %in% names(d)) {
    fit <- gam(y ~ te(x1, x2, bs = "cr", k = k), data = d, method = "GCV.Cp")
  } else {
    fit <- gam(y ~ s(x1, bs = "cr", k = k), data = d, method = "GCV.Cp")
  }
  con <- file(file.path(dir, paste0(name, ".out")), "w")
  sm <- fit$smooth[[1]]
  if (is.null(sm$margin)) {
    emit(con, "knots1", sm$xp)
  } else {
    emit(con, "knots1", sm$margin[[1]]$xp)
    emit(con, "knots2", sm$margin[[2]]$xp)
  }
  emit(con, "fitted", fitted(fit))
  emit(con, "edf", sum(fit$edf))
  emit(con, "gcv", fit$gcv.ubre)
  close(con)
}
