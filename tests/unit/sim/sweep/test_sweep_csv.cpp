// The sweep tables' CSV (sim/sweep/sweep_table.hpp to_csv): names and labels quoted as CSV fields, NaN as NA,
// doubles in their shortest exact form.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "sim/core/table.hpp"
#include "sim/sweep/sweep_table.hpp"

using namespace mmsim;

TEST_CASE("sweep CSV: a name or label with a comma or quote is one quoted field, quotes doubled", "[sweep]") {
  const TableLayout layout("t", {{"point", FieldType::u64, {}, ""},
                                 {"therapy.\"x\".rate", FieldType::f64, {}, ""},
                                 {"strategy", FieldType::enumeration, {"plain", "a,b"}, ""}});
  TableBuffer rows(layout);
  RowRef r0 = rows.append();
  r0.set_u64(FieldId{0}, 3);
  r0.set_f64(FieldId{1}, 0.1);
  r0.set_enum(FieldId{2}, 1);
  RowRef r1 = rows.append();
  r1.set_u64(FieldId{0}, 4);
  r1.set_f64(FieldId{1}, std::nan(""));
  r1.set_enum(FieldId{2}, 0);
  CHECK(sweep::to_csv(layout, rows.data(), rows.rows()) ==
        "point,\"therapy.\"\"x\"\".rate\",strategy\n"
        "3,0.1,\"a,b\"\n"
        "4,NA,plain\n");
}
