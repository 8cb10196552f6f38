#include "metrics/registry.hpp"

#include <fmt/format.h>

namespace careforce::metrics {
namespace {

using F = FileKind;
using V = ValueKind;
using Q = Quantity;

MetricDecl decl(std::string name, std::string label, std::string unit, std::string family,
                V value_kind, Q num, Q den, std::vector<FileKind> files, bool aggregate,
                std::string description, std::string numerator, std::string denominator,
                std::string example) {
  MetricDecl d;
  d.name = std::move(name);
  d.label = std::move(label);
  d.unit = std::move(unit);
  d.family = std::move(family);
  d.value_kind = value_kind;
  d.numerator_quantity = num;
  d.denominator_quantity = den;
  d.record_files = std::move(files);
  d.aggregate = aggregate;
  d.description = std::move(description);
  d.numerator = std::move(numerator);
  d.denominator = std::move(denominator);
  d.example = std::move(example);
  return d;
}

MetricDecl with_category(MetricDecl d, std::string category) {
  d.category = std::move(category);
  return d;
}

MetricDecl with_scopes(MetricDecl d, std::string scopes) {
  d.scopes = std::move(scopes);
  return d;
}

MetricDecl with_breakdowns(MetricDecl d, std::string breakdowns) {
  d.breakdowns = std::move(breakdowns);
  return d;
}

std::vector<MetricDecl> build_registry() {
  const std::vector<F> sip{F::staff_in_post};
  std::vector<MetricDecl> r;
  // Staff in post.
  r.push_back(decl("sip_headcount", "Staff in post (headcount)", "headcount", "staff_in_post",
                   V::amount, Q::count, Q::none, sip, true,
                   "Distinct persons in the scope's staff in post at the month end; a person "
                   "with assignments in two staff groups counts once in each and once in the "
                   "total. Aggregate organisations add their `headcount`.",
                   "distinct person_key in staff_in_post at the month end", "-",
                   "RAA at 2024-03-31: 9"));
  r.push_back(decl("sip_fte", "Staff in post (FTE)", "FTE", "staff_in_post", V::amount, Q::fte,
                   Q::none, sip, true,
                   "Sum of assignment FTE at the month end (additive across staff groups). "
                   "Aggregate organisations add their `fte`.",
                   "sum of fte over staff_in_post rows at the month end", "-",
                   "PCN1 at 2024-03-31: 2.0"));
  // Snapshot turnover.
  r.push_back(decl("leavers", "Leavers (snapshot method)", "headcount", "turnover", V::amount,
                   Q::count, Q::none, sip, true,
                   "Persons in the scope's staff in post at S and not in it at E (12-month "
                   "window). Aggregate organisations add `leavers_12m`.",
                   "persons in SIP at S, not at E", "-", "RAA 2023-03-31 to 2024-03-31: 3"));
  r.push_back(decl("joiners", "Joiners (snapshot method)", "headcount", "turnover", V::amount,
                   Q::count, Q::none, sip, true,
                   "Persons in the scope's staff in post at E and not at S. Aggregate "
                   "organisations add `headcount - stayers_12m`.",
                   "persons in SIP at E, not at S", "-", "RAA: 2 (p11, p12)"));
  r.push_back(decl("turnover_rate", "Turnover rate (snapshot method)", "%", "turnover", V::percent,
                   Q::count, Q::count, sip, true,
                   "Leavers over the mean of staff in post at S and E, x 100. Two results: "
                   "basis `headcount` and basis `fte` (each leaver's FTE at S over the mean "
                   "SIP FTE). Aggregate organisations contribute to the headcount basis only.",
                   "leavers (headcount, or their FTE at S)",
                   "(SIP_S + SIP_E) / 2 (headcount or FTE)",
                   "RAA: 3 / 9.5 x 100 = 31.58; system: 2 / 12 x 100 = 16.67"));
  r.push_back(decl("stability_index", "Stability index", "%", "turnover", V::percent, Q::count,
                   Q::count, sip, true,
                   "Stayers (in the scope's SIP at both S and E) over SIP at S, x 100; basis "
                   "`headcount` and `fte` (stayers' FTE at S over SIP FTE at S).",
                   "stayers", "SIP_S", "RAA: 7 / 10 x 100 = 70.00"));
  r.push_back(decl("system_retention_rate", "System retention rate", "%", "turnover", V::percent,
                   Q::count, Q::count, sip, false,
                   "Persons in the scope (and staff group) at S who are anywhere in the system "
                   "in that staff group at E, over the scope's SIP at S, x 100. At system scope "
                   "this is system stayers / system SIP_S.",
                   "persons of the scope at S still in the system's SIP at E", "SIP_S",
                   "system: 10 / 12 x 100 = 83.33; RAA: 8 / 10 x 100 = 80.00"));
  r.push_back(decl("rolling_turnover_rate", "Turnover rate (event method, 12-month rolling)", "%",
                   "turnover", V::percent, Q::count, Q::count, {F::staff_in_post, F::leavers},
                   false,
                   "Leaver events in leavers.csv with leave_date in (S, E] over the mean of the "
                   "13 month-end SIP headcounts S..E, x 100 (ESR method). A person whose other "
                   "assignment in the organisation goes on is a leaver of the staff group only. "
                   "Options: FTE basis; excluded reasons (default `rotation`). The options are "
                   "stated in the result.",
                   "persons who left the organisation (distinct organisation x person) with "
                   "leave_date in (S, E]",
                   "mean of the 13 month-end SIP headcounts", "3 events / mean SIP 10 = 30.00"));
  // Vacancies.
  r.push_back(decl("vacancy_rate", "Vacancy rate", "%", "vacancy", V::percent, Q::fte, Q::fte,
                   {F::staff_in_post, F::establishment}, true,
                   "Basis `fte`: sum over establishment cells of max(0, funded_fte - matching "
                   "SIP FTE) over sum of funded_fte, x 100. Basis `posts` (aggregate "
                   "organisations): vacant_posts / (headcount + vacant_posts) x 100. The bases "
                   "are never mixed: a scope with both reports two results.",
                   "vacancy FTE (or vacant posts)", "funded FTE (or headcount + vacant posts)",
                   "cells 10 funded / 8 in post and 5 funded / 6 in post: 2 / 15 = 13.33"));
  r.push_back(decl("vacancy_fte", "Vacancy FTE", "FTE", "vacancy", V::amount, Q::fte, Q::none,
                   {F::staff_in_post, F::establishment}, false,
                   "Sum over establishment cells of max(0, funded_fte - matching SIP FTE).",
                   "vacancy FTE", "-", "2.0"));
  r.push_back(decl("long_term_vacancy_count", "Long-term vacancies (cells)", "cells", "vacancy",
                   V::amount, Q::none, Q::none, {F::staff_in_post, F::establishment}, false,
                   "Establishment cells with vacancy_fte > 0 at this and the two previous "
                   "month ends (3 consecutive month ends or more).",
                   "cells vacant 3+ consecutive month ends", "-", "1"));
  r.push_back(decl("long_term_vacancy_fte", "Long-term vacancies (FTE)", "FTE", "vacancy",
                   V::amount, Q::fte, Q::none, {F::staff_in_post, F::establishment}, false,
                   "Vacancy FTE at this month end of the cells vacant 3+ consecutive month ends.",
                   "vacancy FTE of long-term vacant cells", "-", "2.0"));
  // Sickness.
  const std::vector<F> sick{F::staff_in_post, F::absence};
  const std::string sick_def =
      "FTE days lost = sum over episodes of calendar days inside the period x the "
      "assignment's FTE at its snapshot nearest the episode start (tie: earlier snapshot); "
      "FTE days available = sum over months of days in month x SIP FTE at the month end.";
  r.push_back(decl("sickness_absence_rate", "Sickness absence rate (12 months)", "%", "sickness",
                   V::percent, Q::fte_days, Q::fte_days, sick, true,
                   sick_def + " Period: the 12 months (S, E]. Aggregate organisations add "
                              "their 12-month FTE days lost and available.",
                   "FTE days lost in (S, E]", "FTE days available in (S, E]",
                   "10 days x 1.0 FTE / (365 days x 1.0 FTE) = 2.74"));
  r.push_back(decl("sickness_absence_rate_month", "Sickness absence rate (month)", "%", "sickness",
                   V::percent, Q::fte_days, Q::fte_days, sick, false,
                   sick_def + " Period: the calendar month ending E.", "FTE days lost in month",
                   "FTE days available in month", "3 days x 0.5 / (31 x 0.5) = 9.68"));
  r.push_back(with_category(
      decl("sickness_absence_rate_by_reason", "Sickness absence rate by reason (12 months)", "%",
           "sickness", V::percent, Q::fte_days, Q::fte_days, sick, false,
           sick_def + " Numerator restricted to episodes of one reason.",
           "FTE days lost to the reason", "FTE days available", "back: 1.10"),
      "absence reason"));
  r.push_back(decl("sickness_absence_rate_short_term",
                   "Short-term sickness absence rate (12 months)", "%", "sickness", V::percent,
                   Q::fte_days, Q::fte_days, sick, false,
                   sick_def + " Numerator: episodes of 28 calendar days or fewer.",
                   "FTE days lost to episodes <= 28 days", "FTE days available", "1.20"));
  r.push_back(decl("sickness_absence_rate_long_term", "Long-term sickness absence rate (12 months)",
                   "%", "sickness", V::percent, Q::fte_days, Q::fte_days, sick, false,
                   sick_def + " Numerator: episodes longer than 28 calendar days (open "
                              "episodes measured to the latest snapshot).",
                   "FTE days lost to episodes > 28 days", "FTE days available", "2.10"));
  // Temporary staffing and pay.
  const std::vector<F> pay{F::pay_costs};
  r.push_back(with_breakdowns(
      decl("agency_share_of_pay", "Agency share of pay bill (12 months)", "%", "temporary_staffing",
           V::percent, Q::gbp, Q::gbp, pay, false,
           "agency_gbp / (substantive_gbp + bank_gbp + agency_gbp) x 100 over the 12 monthly "
           "ledger periods (S, E].",
           "agency_gbp", "substantive_gbp + bank_gbp + agency_gbp", "50,000 / 1,000,000 = 5.00"),
      "staff_group"));
  r.push_back(with_breakdowns(
      decl("bank_share_of_pay", "Bank share of pay bill (12 months)", "%", "temporary_staffing",
           V::percent, Q::gbp, Q::gbp, pay, false,
           "bank_gbp / (substantive_gbp + bank_gbp + agency_gbp) x 100 over the 12 monthly "
           "ledger periods (S, E].",
           "bank_gbp", "substantive_gbp + bank_gbp + agency_gbp", "80,000 / 1,000,000 = 8.00"),
      "staff_group"));
  const std::vector<F> shifts{F::temporary_staffing};
  r.push_back(decl("shift_fill_rate", "Shift fill rate (month)", "%", "temporary_staffing",
                   V::percent, Q::count, Q::count, shifts, false,
                   "(bank + agency shifts) / shifts requested x 100, shifts dated in the "
                   "calendar month ending E.",
                   "bank + agency shifts", "shifts requested", "45 / 50 = 90.00"));
  r.push_back(decl("bank_fill_share", "Bank share of filled shifts (month)", "%",
                   "temporary_staffing", V::percent, Q::count, Q::count, shifts, false,
                   "bank / (bank + agency) shifts x 100, shifts dated in the month ending E.",
                   "bank shifts", "bank + agency shifts", "36 / 45 = 80.00"));
  r.push_back(with_category(
      decl("shift_hours_by_cover_reason", "Filled shift hours by cover reason (month)", "hours",
           "temporary_staffing", V::amount, Q::hours, Q::hours, shifts, false,
           "Hours of bank and agency shifts dated in the month ending E, by cover_reason; the "
           "denominator is all filled hours.",
           "filled hours for the reason", "all filled hours", "vacancy: 320.5"),
      "cover reason"));
  r.push_back(with_category(
      decl("shift_cost_by_cover_reason", "Filled shift cost by cover reason (month)", "GBP",
           "temporary_staffing", V::amount, Q::gbp, Q::gbp, shifts, false,
           "cost_gbp of bank and agency shifts dated in the month ending E, by cover_reason; "
           "the denominator is the cost of all filled shifts.",
           "cost for the reason", "cost of all filled shifts", "sickness: 12,400"),
      "cover reason"));
  // Age.
  r.push_back(with_category(
      decl("age_band_share", "Headcount by age band", "%", "age", V::percent, Q::count, Q::count,
           sip, false,
           "Share of headcount at E in each age band (age = year(E) - birth_year): <25, 25-34, "
           "35-44, 45-54, 55-64, 65+; the numerator is the band's headcount.",
           "headcount in the band", "headcount", "55-64: 2 / 10 = 20.00"),
      "age band"));
  r.push_back(decl("age_55_plus_share", "Share aged 55 and over", "%", "age", V::percent, Q::count,
                   Q::count, sip, true,
                   "Headcount aged 55+ at E over headcount x 100. Aggregate organisations add "
                   "`age_55_plus_headcount` / `headcount`.",
                   "headcount aged 55+", "headcount", "3 / 10 = 30.00"));
  // Growth and population.
  r.push_back(decl("fte_growth_12m", "FTE growth over 12 months", "%", "growth", V::percent, Q::fte,
                   Q::fte, sip, true,
                   "(SIP FTE at E - SIP FTE at S) / SIP FTE at S x 100, over organisations "
                   "with staff in post at both dates.",
                   "SIP FTE at E - SIP FTE at S", "SIP FTE at S", "(11 - 10) / 10 = 10.00"));
  r.push_back(with_scopes(
      decl("fte_per_100k_population", "FTE per 100,000 population", "FTE per 100k", "growth",
           V::per_100k, Q::fte, Q::population, {F::staff_in_post, F::population}, true,
           "SIP FTE at E of organisations in places with a population over that population x "
           "100,000 (mid-year estimate of the latest year up to E's year, else projection).",
           "SIP FTE", "population", "57 FTE / 100,000 residents = 57.00"),
      "system,place"));
  r.push_back(
      with_scopes(decl("population_per_fte", "Population per FTE", "residents per FTE", "growth",
                       V::ratio, Q::population, Q::fte, {F::staff_in_post, F::population}, true,
                       "Population over SIP FTE (the inverse of fte_per_100k_population).",
                       "population", "SIP FTE", "one GP per 1,753 residents"),
                  "system,place"));
  // Recruitment and leavers.
  r.push_back(decl("international_share_of_joiners", "International recruits share of joiners", "%",
                   "recruitment", V::percent, Q::count, Q::count, sip, true,
                   "Joiners (snapshot method) whose recruitment_source at E is `international` "
                   "over all joiners x 100. Aggregate organisations add "
                   "`international_recruits_12m` / (`headcount` - `stayers_12m`).",
                   "international joiners", "joiners", "1 / 2 = 50.00"));
  r.push_back(with_category(
      decl("joiner_source_share", "Joiners by recruitment source", "%", "recruitment", V::percent,
           Q::count, Q::count, sip, false,
           "Joiners (snapshot method) by their recruitment_source at E, count and share.",
           "joiners from the source", "joiners", "newly_qualified: 1 / 2 = 50.00"),
      "recruitment source"));
  r.push_back(with_category(
      decl("leaver_reason_share", "Leavers by reason", "%", "recruitment", V::percent, Q::count,
           Q::count, {F::staff_in_post, F::leavers}, false,
           "Leaver events (organisation x person) with leave_date in (S, E] by reason (the "
           "latest-dated row when a person's assignments ended for different reasons), count "
           "and share; as in rolling_turnover_rate, an ended assignment while another goes on "
           "counts in its staff group only. No reason is excluded.",
           "leavers with the reason", "leavers", "retirement: 2 / 8 = 25.00"),
      "leaver reason"));
  r.push_back(with_category(
      decl("leaver_destination_share", "Leavers by destination", "%", "recruitment", V::percent,
           Q::count, Q::count, {F::staff_in_post, F::leavers}, false,
           "Leaver events (organisation x person) with leave_date in (S, E] by destination, "
           "count and share.",
           "leavers to the destination", "leavers", "other_org_in_system: 3 / 8 = 37.50"),
      "leaver destination"));
  // Equality.
  r.push_back(with_category(
      decl("representation_share", "Representation by band group", "%", "equality", V::percent,
           Q::count, Q::count, sip, false,
           "Share of headcount at E within a band group (1-4, 5, 6-7, 8A-8B, 8C-9 and vsm, "
           "medical) by ethnic_group, sex and disability. Category "
           "`<band group>|<dimension>=<value>`.",
           "headcount in the band group with the value", "headcount in the band group",
           "8A-8B|ethnic_group=asian: 2 / 10 = 20.00"),
      "band group|dimension=value"));
  r.push_back(decl("ethnic_minority_share_senior", "Ethnic minority share, bands 8A and above", "%",
                   "equality", V::percent, Q::count, Q::count, sip, false,
                   "Headcount at E in bands 8A-8D, 9 and vsm with a stated ethnicity other than "
                   "white over headcount there with a stated ethnicity, x 100 (WRES).",
                   "non-white stated, bands 8A+", "stated ethnicity, bands 8A+", "3 / 12 = 25.00"));
  return r;
}

}  // namespace

const std::vector<MetricDecl>& metric_registry() {
  static const std::vector<MetricDecl> registry = [] {
    auto r = build_registry();
    for (auto& d : r)
      for (unsigned set = 1; set < 4; ++set) {
        if (set & 1)
          for (FileKind f : d.record_files) d.file_sets[set].push_back(file_name(f));
        if (set & 2) d.file_sets[set].push_back(file_name(FileKind::aggregate_returns));
      }
    return r;
  }();
  return registry;
}

const MetricDecl* find_metric(std::string_view name) {
  for (const auto& d : metric_registry())
    if (d.name == name) return &d;
  return nullptr;
}

std::string file_name(FileKind kind) {
  return file_spec(kind).file_name;
}

namespace {

std::string files_text(const MetricDecl& d) {
  std::string out;
  for (FileKind f : d.record_files) out += (out.empty() ? "" : ", ") + file_name(f);
  if (d.aggregate) out += (out.empty() ? "" : "; ") + std::string("or aggregate_returns.csv");
  return out;
}

}  // namespace

std::string metrics_help_text() {
  std::string out = "Metrics (see docs/metrics.md):\n";
  for (const auto& d : metric_registry())
    out += fmt::format("  {:<34} {} [{}]\n", d.name, d.label, d.unit);
  return out;
}

std::string metrics_markdown() {
  std::string out =
      "# Metrics\n\n"
      "Generated from the metric registry (src/metrics/registry.cpp); do not edit by hand.\n"
      "The method is ../shared/domain/METRICS.md; readings of unclear points are in\n"
      "docs/metrics-reading.md. Every result carries value, numerator, denominator, basis,\n"
      "coverage (organisations contributing / organisations in scope), the options used and\n"
      "the files that fed it. A metric whose files are missing is reported as not available,\n"
      "never as zero.\n\n"
      "| metric | label | unit | family | files |\n|---|---|---|---|---|\n";
  for (const auto& d : metric_registry())
    out += fmt::format("| `{}` | {} | {} | {} | {} |\n", d.name, d.label, d.unit, d.family,
                       files_text(d));
  for (const auto& d : metric_registry()) {
    out += fmt::format("\n## `{}`\n{}\n\n- unit: {}\n- family: {}\n- files: {}\n", d.name,
                       d.description, d.unit, d.family, files_text(d));
    out += fmt::format("- numerator: {}\n- denominator: {}\n", d.numerator, d.denominator);
    if (!d.category.empty()) out += fmt::format("- category: {}\n", d.category);
    out +=
        fmt::format("- scopes: {}\n", d.scopes.empty() ? "system, place, sector, org" : d.scopes);
    out += fmt::format("- breakdowns: {}\n", d.breakdowns.empty() ? "all staff" : d.breakdowns);
    out += fmt::format("- example: {}\n", d.example);
  }
  return out;
}

}  // namespace careforce::metrics
