#include "models/myeloma/src/names.hpp"

namespace mmsim::myeloma {

const std::array<std::string_view, kAttrs> kAttrNames{"age",
                                                      "male",
                                                      "prior_lines",
                                                      "emd",
                                                      "high_risk_cytogenetics",
                                                      "pcl",
                                                      "high_ferritin",
                                                      "prior_bcma_exposure",
                                                      "penta_refractory",
                                                      "triple_class_refractory",
                                                      "high_tumor_burden",
                                                      "bcma_density",
                                                      "bcma_het_loss",
                                                      "gprc5d_level",
                                                      "tcell_fitness",
                                                      "len_refractory"};
const std::array<std::string_view, 8> kMechNames{
    "antigen_loss", "antigen_down", "tcell_exhaustion", "microenvironment", "anti_car_immunity",
    "clonal_other", "none",         "unknown"};
const std::array<std::string_view, kCategories> kCategoryNames{
    "car_t", "allo_car_t", "bsab", "adc", "pd1", "conventional", "chemo", "sct", "radiotherapy"};
const std::array<std::string_view, kDepths> kDepthNames{"pd", "mr_sd", "pr", "vgpr", "cr"};
const std::array<std::string_view, kAntigens> kAntigenNames{"BCMA", "GPRC5D", "CD19", "CS1", "FcRH5"};
const std::array<std::string_view, 5> kBinderNames{"murine", "camelid", "humanized", "fully_human", "none"};
const std::array<std::string_view, 3> kCellSourceNames{"autologous", "allogeneic", "none"};
const std::array<std::string_view, kProgressionCovs> kCovNames{"emd",
                                                               "high_risk_cytogenetics",
                                                               "pcl",
                                                               "high_ferritin",
                                                               "high_tumor_burden",
                                                               "penta_refractory",
                                                               "triple_class_refractory",
                                                               "prior_same_target",
                                                               "per_prior_line",
                                                               "tcell_fitness_per_sd",
                                                               "antigen_density_per_log",
                                                               "bridged"};
const std::array<std::string_view, 5> kEndReasonNames{"progression", "dropout", "manufacturing_failure",
                                                      "death", "censored"};
const std::array<std::string_view, 6> kDeathCauseNames{"none",      "background", "myeloma",
                                                       "treatment", "waitlist",   "no_further_therapy"};
const std::array<std::string_view, 9> kStateNames{
    "relapsed",    "waiting",    "on_therapy",         "responding", "stable",
    "progressive", "progressed", "no_further_therapy", "dead"};
const std::array<std::string_view, kEndpoints> kEndpointNames{
    "pfs",       "pfs2",     "os",        "ttnt",     "pfs_after_relapse", "os_after_relapse",
    "pfs_line2", "os_line2", "pfs_line3", "os_line3", "dor_line1",         "dor_line2"};
const std::array<std::string_view, 4> kStatusNames{"expressed", "low", "lost", "untested"};
const std::array<std::string_view, 4> kPatternNames{"systemic", "extramedullary", "oligo", "none"};

}  // namespace mmsim::myeloma
