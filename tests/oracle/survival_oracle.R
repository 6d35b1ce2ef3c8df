# Reference values from R's survival package for the C++ statistics layer (tests/unit/sim/stats/test_stats_oracle.cpp).
#
# Usage: Rscript survival_oracle.R DIR
# DIR/manifest.txt lists dataset names, one a line. For each NAME:
#   DIR/NAME.csv     columns time,status,group,id (time NA = endpoint undefined, dropped by na.omit; id =
#                    the patient, the cluster of the robust variance)
#   DIR/NAME.params  lines "key v1 v2 ...": kind (survival|competing), landmarks, taus, probs (may repeat),
#                    cox (treated reference), groups (1 = run survdiff), cluster (1 = also fit the Cox
#                    model with cluster = id: the robust SE of the log HR)
# writes DIR/NAME.out, lines "key v1 v2 ..." printed with 17 significant digits (NA, NaN, Inf as such).
# timefix = FALSE everywhere so that R compares times exactly as C++ does.
suppressPackageStartupMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 1) stop("usage: Rscript survival_oracle.R DIR")
dir <- args[1]

fmt <- function(v) {
  v <- as.numeric(v)
  s <- sprintf("%.17g", v)
  s[is.na(v) & !is.nan(v)] <- "NA"
  s
}
emit <- function(con, key, v) writeLines(paste(c(key, fmt(v)), collapse = " "), con)

read_params <- function(path) {
  out <- list()
  for (line in readLines(path)) {
    parts <- strsplit(trimws(line), "[[:space:]]+")[[1]]
    if (length(parts) == 0) next
    out[[length(out) + 1]] <- list(key = parts[1], values = parts[-1])
  }
  out
}
param <- function(params, key) {
  hits <- Filter(function(p) p$key == key, params)
  lapply(hits, function(p) p$values)
}

cat("survival", as.character(packageVersion("survival")), "\n", file = file.path(dir, "r_version.txt"))
for (name in readLines(file.path(dir, "manifest.txt"))) {
  d <- read.csv(file.path(dir, paste0(name, ".csv")))
  params <- read_params(file.path(dir, paste0(name, ".params")))
  kind <- param(params, "kind")[[1]]
  con <- file(file.path(dir, paste0(name, ".out")), "w")
  if (kind == "competing") {
    fit <- survfit(Surv(time, factor(status)) ~ 1, data = d, timefix = FALSE)
    emit(con, "states", seq_along(fit$states) - 1)  # column order: (s0), 1, 2, ...
    emit(con, "time", fit$time)
    emit(con, "n_risk", fit$n.risk[, 1])
    for (k in seq_along(fit$states)) {
      emit(con, paste0("pstate_", k - 1), fit$pstate[, k])
      emit(con, paste0("std_err_", k - 1), fit$std.err[, k])
    }
  } else {
    fit <- survfit(Surv(time, status) ~ 1, data = d, conf.type = "log-log", timefix = FALSE)
    emit(con, "km_time", fit$time)
    emit(con, "km_n_risk", fit$n.risk)
    emit(con, "km_n_event", fit$n.event)
    emit(con, "km_n_censor", fit$n.censor)
    emit(con, "km_surv", fit$surv)
    emit(con, "km_std_err", fit$std.err)
    emit(con, "km_lower", fit$lower)
    emit(con, "km_upper", fit$upper)
    probs_sets <- param(params, "probs")
    for (i in seq_along(probs_sets)) {
      q <- quantile(fit, probs = as.numeric(probs_sets[[i]]))
      emit(con, paste0("q", i, "_est"), q$quantile)
      emit(con, paste0("q", i, "_lower"), q$lower)
      emit(con, paste0("q", i, "_upper"), q$upper)
    }
    landmarks <- as.numeric(param(params, "landmarks")[[1]])
    if (length(landmarks) > 0) {
      s <- summary(fit, times = landmarks, extend = TRUE)
      emit(con, "lm_time", s$time)
      emit(con, "lm_surv", s$surv)
      emit(con, "lm_std_err", s$std.err)
      emit(con, "lm_lower", s$lower)
      emit(con, "lm_upper", s$upper)
      emit(con, "lm_n_risk", s$n.risk)
    }
    taus <- as.numeric(param(params, "taus")[[1]])
    for (i in seq_along(taus)) {
      tab <- summary(fit, rmean = taus[i])$table
      emit(con, paste0("rmean_", i), c(tab[["rmean"]], tab[["se(rmean)"]]))
    }
    if (length(param(params, "groups")) > 0) {
      # survdiff(timefix = FALSE) stops with "variable lengths differ" in survival 3.5-3 (the argument
      # reaches model.frame), so the default is used after checking that aeqSurv leaves the times as they are.
      dd <- d[!is.na(d$time), ]
      y <- Surv(dd$time, dd$status)
      stopifnot(all(aeqSurv(y)[, 1] == y[, 1]))
      sd <- survdiff(Surv(time, status) ~ factor(group), data = dd)
      emit(con, "lr_chisq", sd$chisq)
      emit(con, "lr_df", max(sum(sd$exp > 0) - 1, 0))  # print.survdiff's df; -1 when nothing is expected
      emit(con, "lr_observed", sd$obs)
      emit(con, "lr_expected", sd$exp)
      emit(con, "lr_variance", sd$var)
    }
    cox <- param(params, "cox")
    if (length(cox) > 0) {
      trt <- as.numeric(cox[[1]][1])
      ref <- as.numeric(cox[[1]][2])
      dd <- d[!is.na(d$group) & d$group %in% c(trt, ref), ]
      dd$x <- as.integer(dd$group == trt)
      cf <- coxph(Surv(time, status) ~ x, data = dd, ties = "efron",
                  control = coxph.control(timefix = FALSE))
      emit(con, "cox", c(coef(cf)[["x"]], sqrt(vcov(cf)[1, 1]), cf$loglik))
      if (length(param(params, "cluster")) > 0) {
        dc <- na.omit(dd)
        cr <- coxph(Surv(time, status) ~ x, data = dc, ties = "efron", cluster = id,
                    control = coxph.control(timefix = FALSE))
        emit(con, "cox_robust", c(coef(cr)[["x"]], sqrt(vcov(cr)[1, 1]), sqrt(cr$naive.var[1, 1])))
      }
    }
  }
  close(con)
}
