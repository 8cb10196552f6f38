#include "export/xlsx_export.hpp"

#include <xlsxwriter.h>

#include <cmath>
#include <map>

#include "metrics/disclosure.hpp"
#include "metrics/engine.hpp"
#include "metrics/outcomes.hpp"
#include "metrics/registry.hpp"

namespace careforce::xlsx {
namespace {

/// Sheet names in the order a People Board reads them (Excel allows 31 characters).
struct Family {
  const char* family;
  const char* sheet;
};
constexpr Family kFamilies[] = {
    {"staff_in_post", "Staff in post"}, {"turnover", "Turnover and stability"},
    {"vacancy", "Vacancies"},           {"sickness", "Sickness absence"},
    {"temporary_staffing", "Bank and agency"}, {"age", "Age profile"},
    {"growth", "Growth and population"}, {"recruitment", "Recruitment and leavers"},
    {"equality", "Equality"},
};

class Workbook {
 public:
  explicit Workbook(const std::filesystem::path& path) {
    lxw_workbook_options options{};
    options.constant_memory = LXW_TRUE;  // Rows stream to disk: memory stays flat.
    book_ = workbook_new_opt(path.c_str(), &options);
    if (!book_) return;
    bold_ = workbook_add_format(book_);
    format_set_bold(bold_);
    format_set_bg_color(bold_, 0xE8EDEE);  // NHS pale grey
    format_set_text_wrap(bold_);
    decimal_ = workbook_add_format(book_);
    format_set_num_format(decimal_, "0.00");
  }
  ~Workbook() {
    if (book_) workbook_close(book_);
  }
  bool ok() const { return book_ != nullptr; }

  lxw_worksheet* sheet(const std::string& name, const std::vector<std::pair<std::string, double>>& columns) {
    lxw_worksheet* ws = workbook_add_worksheet(book_, name.c_str());
    for (size_t c = 0; c < columns.size(); ++c) {
      worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c),
                           columns[c].second, nullptr);
      worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), columns[c].first.c_str(), bold_);
    }
    worksheet_freeze_panes(ws, 1, 0);
    ++sheets_;
    return ws;
  }
  void text(lxw_worksheet* ws, lxw_row_t row, lxw_col_t col, std::string_view value) {
    if (!value.empty()) worksheet_write_string(ws, row, col, std::string(value).c_str(), nullptr);
  }
  /// A number, blank when unknown, `*` when suppressed.
  void number(lxw_worksheet* ws, lxw_row_t row, lxw_col_t col, double value, bool suppressed = false) {
    if (suppressed)
      worksheet_write_string(ws, row, col, "*", nullptr);
    else if (!std::isnan(value))
      worksheet_write_number(ws, row, col, value, decimal_);
  }
  void filter(lxw_worksheet* ws, lxw_row_t last_row, lxw_col_t last_col) {
    worksheet_autofilter(ws, 0, 0, std::max<lxw_row_t>(last_row, 1), last_col);
  }
  size_t sheets() const { return sheets_; }
  Status close(const std::filesystem::path& path) {
    const lxw_error error = workbook_close(book_);
    book_ = nullptr;
    if (error != LXW_NO_ERROR)
      return make_error(ErrorCode::io_error, "cannot write '" + path.string() + "'",
                        lxw_strerror(error));
    return Status::ok();
  }

 private:
  lxw_workbook* book_ = nullptr;
  lxw_format* bold_ = nullptr;
  lxw_format* decimal_ = nullptr;
  size_t sheets_ = 0;
};

const std::vector<std::pair<std::string, double>> kResultColumns = {
    {"metric", 30},    {"period_end", 11},  {"scope_type", 10}, {"scope", 16},
    {"staff_group", 22}, {"role_code", 18}, {"category", 18},   {"basis", 10},
    {"value", 11},     {"numerator", 12},   {"denominator", 12}, {"coverage_orgs", 9},
    {"total_orgs", 9}, {"available", 9},   {"options", 30},
};

size_t write_results(Workbook& book, lxw_worksheet* ws,
                     const std::vector<const metrics::MetricResult*>& rows) {
  lxw_row_t r = 1;
  for (const auto* m : rows) {
    book.text(ws, r, 0, m->metric);
    book.text(ws, r, 1, m->period.end().iso());
    book.text(ws, r, 2, metrics::scope_type_name(m->scope_type));
    book.text(ws, r, 3, m->scope);
    book.text(ws, r, 4, m->staff_group);
    book.text(ws, r, 5, m->role_code);
    book.text(ws, r, 6, m->category);
    book.text(ws, r, 7, m->basis);
    book.number(ws, r, 8, m->value, m->value_suppressed);
    book.number(ws, r, 9, m->numerator, m->numerator_suppressed);
    book.number(ws, r, 10, m->denominator, m->denominator_suppressed);
    book.number(ws, r, 11, m->coverage_orgs);
    book.number(ws, r, 12, m->total_orgs);
    book.text(ws, r, 13, m->available ? "yes" : "not available");
    book.text(ws, r, 14, m->options);
    ++r;
  }
  book.filter(ws, r - 1, static_cast<lxw_col_t>(kResultColumns.size() - 1));
  return rows.size();
}

}  // namespace

Status WorkbookOptions::validate() const {
  if (path.empty() || path.extension() != ".xlsx")
    return make_error(ErrorCode::invalid_argument,
                      "--xlsx must name a .xlsx file, got '" + path.string() + "'");
  if (!at.empty() && !parse_period(at))
    return make_error(ErrorCode::invalid_argument, "--at must be a month YYYY-MM, got '" + at + "'");
  if (!(amber_tolerance >= 0 && amber_tolerance <= 1))
    return make_error(ErrorCode::invalid_argument, "amber tolerance must be between 0 and 1");
  return Status::ok();
}

Result<WorkbookSummary> write_workbook(const model::WorkforceModel& model,
                                       const WorkbookOptions& options) {
  CF_RETURN_IF_ERROR(options.validate());
  if (model.snapshot_months().empty())
    return make_error(ErrorCode::unavailable, "the store holds no staff data to export");
  WorkbookSummary summary;
  summary.at = options.at.empty() ? model.latest_month() : *parse_period(options.at);

  metrics::Query query;
  query.at = summary.at;
  query.by = metrics::Breakdown::staff_group;
  CF_ASSIGN_OR_RETURN(auto results, metrics::compute(model, query));
  if (options.suppress) metrics::apply_disclosure_control(results);
  metrics::OutcomesOptions outcome_options;
  outcome_options.amber_tolerance = options.amber_tolerance;
  CF_ASSIGN_OR_RETURN(auto outcomes, metrics::compute_outcomes(model, outcome_options));

  std::map<std::string, std::vector<const metrics::MetricResult*>> by_family;
  for (const auto& r : results) {
    const auto* decl = metrics::find_metric(r.metric);
    by_family[decl ? decl->family : "other"].push_back(&r);
  }

  Workbook book(options.path);
  if (!book.ok())
    return make_error(ErrorCode::io_error, "cannot create '" + options.path.string() + "'");

  // Contents: what each metric means, so every number can be traced to its definition.
  auto* contents = book.sheet("Definitions", {{"metric", 30}, {"label", 34}, {"unit", 10},
                                              {"family", 18}, {"sheet", 24}, {"numerator", 50},
                                              {"denominator", 50}, {"description", 80}});
  lxw_row_t row = 1;
  for (const auto& d : metrics::metric_registry()) {
    std::string sheet = d.family;
    for (const auto& f : kFamilies)
      if (d.family == f.family) sheet = f.sheet;
    book.text(contents, row, 0, d.name);
    book.text(contents, row, 1, d.label);
    book.text(contents, row, 2, d.unit);
    book.text(contents, row, 3, d.family);
    book.text(contents, row, 4, sheet);
    book.text(contents, row, 5, d.numerator);
    book.text(contents, row, 6, d.denominator);
    book.text(contents, row, 7, d.description);
    ++row;
  }
  book.filter(contents, row - 1, 7);

  for (const auto& f : kFamilies) {
    auto it = by_family.find(f.family);
    if (it == by_family.end()) continue;
    summary.rows += write_results(book, book.sheet(f.sheet, kResultColumns), it->second);
  }

  auto* framework = book.sheet(
      "Outcomes framework", {{"indicator", 30}, {"scope", 20}, {"year", 9}, {"actual", 10},
                             {"target", 10}, {"previous_year", 12}, {"rag", 8},
                             {"direction", 16}, {"travel", 12}, {"note", 40}});
  row = 1;
  for (const auto& o : outcomes) {
    book.text(framework, row, 0, o.indicator);
    book.text(framework, row, 1, o.scope);
    book.text(framework, row, 2, o.year.label());
    book.number(framework, row, 3, o.actual);
    book.number(framework, row, 4, o.target);
    book.number(framework, row, 5, o.previous);
    book.text(framework, row, 6, o.rag);
    book.text(framework, row, 7, directions().code(static_cast<uint8_t>(o.direction)));
    book.text(framework, row, 8, o.travel);
    book.text(framework, row, 9, o.note);
    ++row;
  }
  book.filter(framework, row - 1, 9);
  summary.rows += outcomes.size();
  summary.sheets = book.sheets();
  CF_RETURN_IF_ERROR(book.close(options.path));
  return summary;
}

}  // namespace careforce::xlsx
