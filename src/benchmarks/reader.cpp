#include "benchmarks/reader.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include <fmt/core.h>

#include "core/codes.hpp"

namespace careforce::benchmarks {
namespace {

namespace fs = std::filesystem;

// One CSV record with the physical line it starts on. RFC 4180: quotes, "" escapes,
// line breaks inside quotes, CRLF or LF, a UTF-8 BOM before the header.
struct Record {
  std::vector<std::string> fields;
  uint64_t line = 0;
};

class CsvRecordReader {
 public:
  explicit CsvRecordReader(std::istream& in) : in_(in) {}

  // Read the next non-blank record; false at end of input. Syntax problems go to `problem`.
  bool next(Record& record, std::string& problem, uint32_t& problem_column) {
    problem.clear();
    problem_column = 0;
    for (;;) {
      record.fields.clear();
      record.line = line_;
      if (!peek_valid()) return false;
      std::string field;
      bool quoted = false, after_quote = false, any = false;
      for (;;) {
        int c = get();
        if (c < 0) {
          if (quoted && problem.empty()) {
            problem = "quoted field is not closed before the end of the file";
            problem_column = static_cast<uint32_t>(record.fields.size() + 1);
          }
          if (any || !field.empty()) record.fields.push_back(std::move(field));
          break;
        }
        if (quoted) {
          if (c == '"') {
            if (peek() == '"') {
              get();
              field.push_back('"');
            } else {
              quoted = false;
              after_quote = true;
            }
          } else {
            if (c == '\n') ++line_;
            field.push_back(static_cast<char>(c));
          }
          continue;
        }
        if (c == ',') {
          record.fields.push_back(std::move(field));
          field.clear();
          after_quote = false;
          any = true;
        } else if (c == '\r' || c == '\n') {
          if (c == '\r' && peek() == '\n') get();
          ++line_;
          if (any || !field.empty()) record.fields.push_back(std::move(field));
          break;
        } else if (c == '"' && field.empty() && !after_quote) {
          quoted = any = true;
        } else {
          if ((after_quote || c == '"') && problem.empty()) {
            problem =
                after_quote ? "text follows a closing quote" : "quote inside an unquoted field";
            problem_column = static_cast<uint32_t>(record.fields.size() + 1);
          }
          field.push_back(static_cast<char>(c));
          any = true;
        }
      }
      if (!record.fields.empty()) {
        if (first_ && record.fields[0].starts_with("\xEF\xBB\xBF")) record.fields[0].erase(0, 3);
        first_ = false;
        return true;
      }
    }
  }

 private:
  bool peek_valid() { return peek() >= 0; }
  int peek() {
    if (pos_ == size_ && !fill()) return -1;
    return static_cast<unsigned char>(buffer_[pos_]);
  }
  int get() {
    const int c = peek();
    if (c >= 0) ++pos_;
    return c;
  }
  bool fill() {
    in_.read(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    size_ = static_cast<size_t>(in_.gcount());
    pos_ = 0;
    return size_ > 0;
  }

  std::istream& in_;
  std::array<char, 1 << 16> buffer_{};
  size_t size_ = 0, pos_ = 0;
  uint64_t line_ = 1;
  bool first_ = true;
};

std::string truncated(std::string_view value) {
  return std::string(value.substr(0, 80));
}

// Parse dd/mm/yyyy that is the last day of its month.
std::optional<Month> parse_month_end_dmy(std::string_view text) {
  if (text.size() != 10 || text[2] != '/' || text[5] != '/') return std::nullopt;
  auto digits = [&](size_t from, size_t n) -> int {
    int v = 0;
    for (size_t i = from; i < from + n; ++i) {
      if (text[i] < '0' || text[i] > '9') return -1;
      v = v * 10 + (text[i] - '0');
    }
    return v;
  };
  const int day = digits(0, 2), month = digits(3, 2), year = digits(6, 4);
  if (day < 1 || month < 1 || month > 12 || year < 1900) return std::nullopt;
  if (day != days_in_month(year, month)) return std::nullopt;
  return Month::from_ym(year, month);
}

std::optional<Month> parse_yyyymm(std::string_view text) {
  if (text.size() != 6) return std::nullopt;
  int v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  const int year = v / 100, month = v % 100;
  if (year < 1900 || month < 1 || month > 12) return std::nullopt;
  return Month::from_ym(year, month);
}

// Parse `YYYYMM to YYYYMM` with the second month after the first.
std::optional<std::pair<Month, Month>> parse_period_range(std::string_view text) {
  if (text.size() != 16 || text.substr(6, 4) != " to ") return std::nullopt;
  auto from = parse_yyyymm(text.substr(0, 6)), to = parse_yyyymm(text.substr(10, 6));
  if (!from || !to || !(*from < *to)) return std::nullopt;
  return std::pair{*from, *to};
}

bool is_whole_number(std::string_view text) {
  return !text.empty() && text.size() <= 15 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Attributes of an organisation that must agree across its rows of one period.
struct OrgAttributes {
  std::string org_name, org_type, cluster, region_code, region_name, ics_code, ics_name;
  uint64_t line = 0;
  bool operator==(const OrgAttributes& o) const {
    return org_name == o.org_name && org_type == o.org_type && cluster == o.cluster &&
           region_code == o.region_code && region_name == o.region_name && ics_code == o.ics_code &&
           ics_name == o.ics_name;
  }
};

// Counts of one (period, organisation, staff group) in a long layout.
struct LongGroup {
  Series base;  // identity fields filled, measures empty
  std::array<std::optional<Decimal>, kComponentCount> headcount;
  std::array<std::optional<Decimal>, kComponentCount> fte;
  std::array<uint64_t, kComponentCount> line{};
};

class FileReader {
 public:
  FileReader(const std::string& file_name, const ImportOptions& options, ImportReport& report)
      : file_name_(file_name), options_(options), report_(report) {}

  void read(std::istream& in, bool skip_unknown) {
    ImportedFile& file = report_.files.emplace_back();
    file.path = file_name_;
    file_index_ = report_.files.size() - 1;
    const uint64_t errors_before = report_.errors;
    const size_t series_before = report_.series.size();
    CsvRecordReader reader(in);
    Record record;
    std::string problem;
    uint32_t problem_column = 0;
    if (!reader.next(record, problem, problem_column)) {
      add(Severity::error, "empty_file", 0, 0, "", "", "the file is empty",
          "a header row of a declared publication");
      finish(errors_before, series_before);
      return;
    }
    if (!recognise(record, skip_unknown)) {
      finish(errors_before, series_before);
      return;
    }
    report_.files[file_index_].publication = layout_->publication;
    while (reader.next(record, problem, problem_column)) {
      ++report_.files[file_index_].rows;
      if (!problem.empty()) {
        add(Severity::error, "bad_csv", record.line, problem_column, "", "", problem,
            "RFC 4180 CSV: a field in quotes, with quotes inside doubled");
        continue;
      }
      read_row(record);
    }
    if (layout_->is_long()) emit_long_groups();
    finish(errors_before, series_before);
  }

 private:
  void finish(uint64_t errors_before, size_t series_before) {
    ImportedFile& file = report_.files[file_index_];
    file.errors = report_.errors - errors_before;
    file.series = report_.series.size() - series_before;
  }

  void add(Severity severity, std::string kind, uint64_t line, uint32_t column,
           std::string column_name, std::string_view value, std::string message,
           std::string expected) {
    (severity == Severity::error ? report_.errors : report_.warnings) += 1;
    if (report_.findings.size() >= options_.max_findings) return;
    Finding f;
    f.severity = severity;
    f.kind = std::move(kind);
    f.file = file_name_;
    f.line = line;
    f.column = column;
    f.column_name = std::move(column_name);
    f.value = truncated(value);
    f.message = std::move(message);
    f.expected = std::move(expected);
    report_.findings.push_back(std::move(f));
  }

  bool recognise(const Record& header, bool skip_unknown) {
    layout_ = recognise_layout(header.fields);
    if (!layout_) {
      // Name the closest layout and what its header lacks, so a renamed column is obvious.
      const Layout* best = nullptr;
      size_t best_missing = SIZE_MAX;
      std::vector<std::string> missing_best;
      for (const auto& layout : publication_layouts()) {
        std::vector<std::string> missing;
        for (const auto& c : layout.columns)
          if (std::find(header.fields.begin(), header.fields.end(), c.name) == header.fields.end())
            missing.push_back(c.name);
        if (missing.size() < best_missing) {
          best_missing = missing.size();
          best = &layout;
          missing_best = std::move(missing);
        }
      }
      std::string expected = "the header of a declared publication";
      if (best) {
        expected += "; nearest is " + best->publication;
        if (!missing_best.empty()) {
          expected += ", which also needs ";
          for (size_t i = 0; i < missing_best.size(); ++i)
            expected += (i ? ", " : "") + missing_best[i];
        }
        if (header.fields.size() != best->columns.size())
          expected +=
              fmt::format(" ({} columns, found {})", best->columns.size(), header.fields.size());
      }
      if (skip_unknown) {
        report_.files[file_index_].skipped = true;
        add(Severity::warning, "unknown_publication", header.line, 0, "", "",
            "header matches no declared publication; file skipped", expected);
      } else {
        add(Severity::error, "unknown_publication", header.line, 0, "", "",
            "header matches no declared publication", expected);
      }
      return false;
    }
    // Map each declared column to its position in this file's header.
    positions_.assign(layout_->columns.size(), 0);
    for (size_t i = 0; i < layout_->columns.size(); ++i)
      positions_[i] = static_cast<size_t>(
          std::find(header.fields.begin(), header.fields.end(), layout_->columns[i].name) -
          header.fields.begin());
    header_size_ = header.fields.size();
    return true;
  }

  // The raw text of a declared field in a record.
  const std::string& field(const Record& r, Field f) const {
    return r.fields[positions_[static_cast<size_t>(layout_->column_index(f))]];
  }
  uint32_t column_of(Field f) const {
    return static_cast<uint32_t>(positions_[static_cast<size_t>(layout_->column_index(f))] + 1);
  }
  const std::string& name_of(Field f) const {
    return layout_->columns[static_cast<size_t>(layout_->column_index(f))].name;
  }
  void field_error(const Record& r, Field f, std::string kind, std::string message,
                   std::string expected) {
    add(Severity::error, std::move(kind), r.line, column_of(f), name_of(f), field(r, f),
        std::move(message), std::move(expected));
  }

  void read_row(const Record& r) {
    if (r.fields.size() != header_size_) {
      add(Severity::error, "wrong_field_count", r.line, 0, "", "",
          fmt::format("row has {} fields", r.fields.size()),
          fmt::format("{} fields, as in the header", header_size_));
      return;
    }
    const uint64_t errors_before = report_.errors;
    Series s;
    s.publication = layout_->publication;
    s.source_file = file_name_;
    s.source_line = r.line;
    std::optional<Decimal> numerator, denominator, published, headcount, fte;
    std::optional<Component> component;
    for (size_t i = 0; i < layout_->columns.size(); ++i) {
      const Field f = layout_->columns[i].field;
      const std::string& text = r.fields[positions_[i]];
      if (text.empty()) {
        field_error(r, f, "missing_value", "value is blank", "a value");
        continue;
      }
      switch (f) {
        case Field::period_end_date: {
          auto month = parse_month_end_dmy(text);
          if (!month) {
            field_error(r, f, "bad_date", "'" + text + "' is not a month end as dd/mm/yyyy",
                        "the last day of a month as dd/mm/yyyy, e.g. 31/01/2025");
            break;
          }
          s.period = s.window_start = *month;
          s.period_label = text;
          break;
        }
        case Field::period_range: {
          auto range = parse_period_range(text);
          if (!range) {
            field_error(r, f, "bad_period", "'" + text + "' is not a period 'YYYYMM to YYYYMM'",
                        "'YYYYMM to YYYYMM' with the second month after the first, e.g. "
                        "202509 to 202510");
            break;
          }
          s.window_start = range->first;
          s.period = range->second;
          s.period_label = text;
          break;
        }
        case Field::region_code:
          s.region_code = text;
          break;
        case Field::region_name:
          s.region_name = text;
          break;
        case Field::ics_code:
          s.ics_code = text;
          break;
        case Field::ics_name:
          s.ics_name = text;
          break;
        case Field::org_code:
          s.org_code = text;
          break;
        case Field::org_name:
          s.org_name = text;
          break;
        case Field::org_type:
          s.org_type = text;
          break;
        case Field::cluster:
          s.cluster = text;
          break;
        case Field::staff_group:
          s.staff_group = text;
          break;
        case Field::component: {
          for (const auto& c : layout_->components)
            if (c.text == text) component = c.component;
          if (!component) {
            std::vector<std::string> names;
            for (const auto& c : layout_->components) names.push_back(c.text);
            std::stable_sort(names.begin(), names.end(), [&](const auto& a, const auto& b) {
              return edit_distance(a, text) < edit_distance(b, text);
            });
            std::string expected = "one of ";
            for (size_t k = 0; k < names.size(); ++k)
              expected += (k ? ", '" : "'") + names[k] + "'";
            field_error(r, f, "unknown_code", "'" + text + "' is not a known " + name_of(f),
                        expected + " (nearest '" + names.front() + "')");
          }
          break;
        }
        case Field::numerator:
        case Field::denominator:
        case Field::published_value:
        case Field::fte: {
          auto value = Decimal::parse(text);
          const bool positive_only = f == Field::denominator;
          if (!value) {
            field_error(r, f, "bad_number", "'" + text + "' is not a decimal number",
                        "a decimal number such as 2335.48715 (no spaces, exponents or "
                        "thousands separators)");
          } else if (value->is_negative() || (positive_only && value->is_zero())) {
            field_error(r, f, "out_of_range", "'" + text + "' is out of range",
                        positive_only ? "a number greater than 0" : "a number of 0 or more");
          } else if (f == Field::numerator) {
            numerator = value;
          } else if (f == Field::denominator) {
            denominator = value;
          } else if (f == Field::published_value) {
            published = value;
            s.published_value = text;
          } else {
            fte = value;
          }
          break;
        }
        case Field::headcount:
          if (!is_whole_number(text)) {
            field_error(r, f, "bad_number", "'" + text + "' is not a whole number",
                        "a whole number of 0 or more");
          } else {
            headcount = Decimal::parse(text);
          }
          break;
      }
    }
    if (report_.errors != errors_before) return;
    if (!check_organisation(r, s)) return;
    if (layout_->is_long()) {
      add_component(r, s, *component, *headcount, *fte);
    } else {
      add_wide(r, std::move(s), *numerator, *denominator, published);
    }
  }

  // The same organisation must keep its name, type and area across its rows of a period.
  bool check_organisation(const Record& r, const Series& s) {
    OrgAttributes attributes{s.org_name,    s.org_type, s.cluster,  s.region_code,
                             s.region_name, s.ics_code, s.ics_name, r.line};
    const std::string key = std::to_string(s.period.index) + '\x1f' + s.org_code;
    auto [it, inserted] = organisations_.try_emplace(key, attributes);
    if (inserted || it->second == attributes) return true;
    add(Severity::error, "inconsistent_organisation", r.line, column_of(Field::org_code),
        name_of(Field::org_code), s.org_code,
        "organisation " + s.org_code + " has a different name, type or area than on line " +
            std::to_string(it->second.line),
        "the same name, type, region and ICS on every row of an organisation and period");
    return false;
  }

  bool check_duplicate(const Record& r, const Series& s, std::string extra,
                       const std::string& what) {
    const std::string key = std::to_string(s.period.index) + '\x1f' + s.org_code + '\x1f' +
                            s.staff_group + '\x1f' + extra;
    auto [it, inserted] = seen_.try_emplace(key, r.line);
    if (inserted) return true;
    add(Severity::error, "duplicate_row", r.line, 0, "", "",
        "second row for " + what + " (first on line " + std::to_string(it->second) + ")",
        "one row per " + what);
    return false;
  }

  void add_wide(const Record& r, Series s, const Decimal& numerator, const Decimal& denominator,
                const std::optional<Decimal>& published) {
    if (!check_duplicate(r, s, "", "period, organisation and staff group")) return;
    for (size_t m = 0; m < layout_->metrics.size(); ++m) {
      const MetricSpec& metric = layout_->metrics[m];
      Series out = m + 1 == layout_->metrics.size() ? std::move(s) : s;
      out.metric = metric.name;
      out.numerator = numerator;
      out.denominator = denominator;
      if (published && options_.check_published_values) {
        auto own = percent(numerator, denominator, metric.places);
        if (own && !(*own == published->round(metric.places)))
          add(Severity::warning, "published_value_differs", r.line,
              column_of(Field::published_value), name_of(Field::published_value),
              out.published_value,
              "published value " + out.published_value + " is not " + name_of(Field::numerator) +
                  " / " + name_of(Field::denominator) + " x 100 rounded half-up",
              own->format(metric.places, metric.style));
      }
      report_.series.push_back(std::move(out));
    }
  }

  void add_component(const Record& r, const Series& s, Component component,
                     const Decimal& headcount, const Decimal& fte) {
    const auto c = static_cast<size_t>(component);
    if (!check_duplicate(r, s, std::to_string(c),
                         "period, organisation, staff group and " + name_of(Field::component)))
      return;
    const std::string key =
        std::to_string(s.period.index) + '\x1f' + s.org_code + '\x1f' + s.staff_group;
    auto [it, inserted] = groups_.try_emplace(key);
    LongGroup& group = it->second;
    if (inserted) {
      group.base = s;
      order_.push_back(key);
    }
    group.headcount[c] = headcount;
    group.fte[c] = fte;
    group.line[c] = r.line;
  }

  void emit_long_groups() {
    for (const auto& key : order_) {
      const LongGroup& group = groups_.at(key);
      uint64_t first_line = UINT64_MAX;
      for (uint64_t line : group.line)
        if (line != 0) first_line = std::min(first_line, line);
      for (const auto& metric : layout_->metrics) {
        const auto& counts = metric.basis == Basis::fte ? group.fte : group.headcount;
        const auto c = static_cast<size_t>(metric.component);
        Series out = group.base;
        out.metric = metric.name;
        if (metric.formula == Formula::component_total) {
          if (!counts[c]) continue;  // no row: the publisher did not publish this count
          out.numerator = *counts[c];
          out.source_line = group.line[c];
        } else {
          // A missing component row is a zero count (the publisher omits zero rows).
          const Decimal start = counts[static_cast<size_t>(Component::start)].value_or(Decimal());
          const Decimal end = counts[static_cast<size_t>(Component::end)].value_or(Decimal());
          const Decimal mean = (start + end).half();
          if (mean.is_zero()) continue;
          out.numerator = counts[c].value_or(Decimal());
          out.denominator = mean;
          out.source_line = first_line;
        }
        report_.series.push_back(std::move(out));
      }
    }
  }

  std::string file_name_;
  const ImportOptions& options_;
  ImportReport& report_;
  size_t file_index_ = 0;
  const Layout* layout_ = nullptr;
  std::vector<size_t> positions_;
  size_t header_size_ = 0;
  std::map<std::string, OrgAttributes> organisations_;
  std::map<std::string, uint64_t> seen_;
  std::map<std::string, LongGroup> groups_;
  std::vector<std::string> order_;
};

// Two files of one import must not publish the same figure.
void check_across_files(ImportReport& report, size_t first_series, const std::string& file,
                        std::map<std::string, std::string>& seen, size_t max_findings) {
  for (size_t i = first_series; i < report.series.size(); ++i) {
    const Series& s = report.series[i];
    const std::string key = s.metric + '\x1f' + std::to_string(s.period.index) + '\x1f' +
                            s.org_code + '\x1f' + s.staff_group;
    const std::string where = file + ":" + std::to_string(s.source_line);
    auto [it, inserted] = seen.try_emplace(key, where);
    if (inserted || it->second.starts_with(file + ":")) continue;
    ++report.errors;
    if (report.findings.size() < max_findings) {
      Finding f;
      f.kind = "duplicate_row";
      f.file = file;
      f.line = s.source_line;
      f.message = "figure for " + s.org_code + " " + s.period.iso() + " (" + s.staff_group +
                  ") is also in " + it->second;
      f.expected = "each period of a publication in one file only";
      report.findings.push_back(std::move(f));
    }
    return;  // one finding per file pair is enough
  }
}

}  // namespace

Status ImportOptions::validate() const {
  if (max_findings == 0)
    return make_error(ErrorCode::invalid_argument, "max_findings must be at least 1");
  return Status::ok();
}

ImportReport read_publication(std::istream& in, const std::string& file_name,
                              const ImportOptions& options, bool skip_unknown) {
  ImportReport report;
  FileReader(file_name, options, report).read(in, skip_unknown);
  return report;
}

Result<std::vector<std::string>> publication_files(const std::string& path) {
  std::error_code ec;
  const fs::path root(path);
  if (!fs::exists(root, ec))
    return make_error(ErrorCode::not_found, "no such file or folder: " + path);
  if (!fs::is_directory(root, ec)) return std::vector<std::string>{path};
  std::vector<std::string> files;
  for (auto it = fs::recursive_directory_iterator(root, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    std::string ext = it->path().extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (ext == ".csv") files.push_back(it->path().lexically_relative(root).generic_string());
  }
  if (ec) return make_error(ErrorCode::io_error, "cannot list folder " + path, ec.message());
  std::sort(files.begin(), files.end());
  if (files.empty()) return make_error(ErrorCode::not_found, "no .csv files in folder " + path);
  return files;
}

Result<ImportReport> read_publications(const std::string& path, const ImportOptions& options) {
  CF_RETURN_IF_ERROR(options.validate());
  CF_ASSIGN_OR_RETURN(std::vector<std::string> names, publication_files(path));
  std::error_code ec;
  const bool folder = fs::is_directory(fs::path(path), ec);

  ImportReport report;
  std::map<std::string, std::string> seen;
  for (const auto& relative : names) {
    const fs::path file = folder ? fs::path(path) / relative : fs::path(path);
    std::ifstream in(file, std::ios::binary);
    if (!in) return make_error(ErrorCode::io_error, "cannot open " + file.string());
    // Findings name a folder's file by its path below the folder (the file name when flat).
    const std::string name = folder ? relative : file.filename().string();
    const size_t first_series = report.series.size();
    FileReader(name, options, report).read(in, folder);
    if (in.bad()) return make_error(ErrorCode::io_error, "cannot read " + file.string());
    report.files.back().path = file.string();
    check_across_files(report, first_series, name, seen, options.max_findings);
  }
  return report;
}

Result<ImportReport> import_publications(const std::string& path, BenchmarkSet& set,
                                         const ImportOptions& options) {
  CF_ASSIGN_OR_RETURN(ImportReport report, read_publications(path, options));
  if (report.ok()) set.add(report.series);
  return report;
}

std::string format_import_report(const ImportReport& report, size_t max_findings) {
  std::string out;
  for (const auto& f : report.files) {
    if (f.skipped)
      out += fmt::format("{}: skipped (no declared publication)\n", f.path);
    else if (f.publication.empty())
      out += fmt::format("{}: not recognised\n", f.path);
    else
      out += fmt::format("{}: {}, {} rows, {} series, {} errors\n", f.path, f.publication, f.rows,
                         f.series, f.errors);
  }
  const size_t shown = std::min(max_findings, report.findings.size());
  for (size_t i = 0; i < shown; ++i) out += report.findings[i].format() + "\n";
  const uint64_t total = report.errors + report.warnings;
  if (total > shown) out += fmt::format("... {} more findings not shown\n", total - shown);
  if (report.ok())
    out += fmt::format("accepted: {} series, {} warnings\n", report.series.size(), report.warnings);
  else
    out += fmt::format("rejected: {} errors, {} warnings; nothing was imported\n", report.errors,
                       report.warnings);
  return out;
}

}  // namespace careforce::benchmarks
