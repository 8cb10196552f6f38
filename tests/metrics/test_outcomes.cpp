// The outcomes framework: actual at March, RAG against the target, direction of travel.
#include <gtest/gtest.h>

#include <cmath>

#include "metrics/outcomes.hpp"
#include "metrics/run.hpp"
#include "model_builder.hpp"

namespace careforce::metrics {
namespace {

using testing::ym;

TEST(Outcomes, RagRating) {
  // Lower is better, target 15, tolerance 10% of 15 = 1.5.
  EXPECT_EQ(rag_rating(15, 15, Direction::lower_is_better, 0.1), "green");
  EXPECT_EQ(rag_rating(16.5, 15, Direction::lower_is_better, 0.1), "amber");
  EXPECT_EQ(rag_rating(16.51, 15, Direction::lower_is_better, 0.1), "red");
  // Higher is better, target 80: amber down to 72.
  EXPECT_EQ(rag_rating(85, 80, Direction::higher_is_better, 0.1), "green");
  EXPECT_EQ(rag_rating(72, 80, Direction::higher_is_better, 0.1), "amber");
  EXPECT_EQ(rag_rating(71.9, 80, Direction::higher_is_better, 0.1), "red");
  EXPECT_EQ(rag_rating(std::nan(""), 80, Direction::higher_is_better, 0.1), "n/a");
}

TEST(Outcomes, DirectionOfTravel) {
  EXPECT_EQ(direction_of_travel(10, 12, Direction::lower_is_better), "improving");
  EXPECT_EQ(direction_of_travel(12, 10, Direction::lower_is_better), "worsening");
  EXPECT_EQ(direction_of_travel(12, 10, Direction::higher_is_better), "improving");
  EXPECT_EQ(direction_of_travel(10, 10, Direction::higher_is_better), "no change");
  EXPECT_EQ(direction_of_travel(10, std::nan(""), Direction::higher_is_better), "n/a");
}

TEST(Outcomes, TrajectoriesFromTargets) {
  testing::ModelBuilder b;
  b.org("RAA", "acute", "North");
  // Headcount 10 at 2022-03; 10 at 2023-03 (2 left, 2 joined); 10 at 2024-03 (1 left).
  for (int i = 0; i < 10; ++i) b.sip(ym(2022, 3), "RAA", "p" + std::to_string(i));
  for (int i = 2; i < 12; ++i) b.sip(ym(2023, 3), "RAA", "p" + std::to_string(i));
  for (int i = 3; i < 13; ++i) b.sip(ym(2024, 3), "RAA", "p" + std::to_string(i));
  auto target = [&](const char* indicator, const char* scope, int year, double value,
                    Direction direction) {
    b.m.targets.push_back({indicator, scope, FinancialYear{year}, value, direction, {}});
  };
  // turnover 2022/23: 2 / 10 = 20%; 2023/24: 1 / 10 = 10%.
  target("turnover_rate", "system", 2022, 18.5, Direction::lower_is_better);    // amber (<= 20.35)
  target("turnover_rate", "system", 2023, 12, Direction::lower_is_better);      // green, improving
  target("stability_index", "org:RAA", 2023, 95, Direction::higher_is_better);  // 90: amber
  target("turnover_rate", "sector:acute", 2021, 10, Direction::lower_is_better);  // no data
  auto rows = compute_outcomes(b.done(), {});
  ASSERT_TRUE(rows.is_ok());
  ASSERT_EQ(rows->size(), 4u);
  const auto& s = (*rows)[0];  // stability_index sorts first
  EXPECT_EQ(s.indicator, "stability_index");
  EXPECT_DOUBLE_EQ(s.actual, 90);
  EXPECT_EQ(s.rag, "amber");
  EXPECT_EQ(s.travel, "improving");  // 80 a year earlier
  const auto& sector = (*rows)[1];
  EXPECT_EQ(sector.scope, "sector:acute");
  EXPECT_EQ(sector.rag, "n/a");
  EXPECT_EQ(sector.note, "not available");
  EXPECT_DOUBLE_EQ((*rows)[2].actual, 20);
  EXPECT_EQ((*rows)[2].rag, "amber");
  EXPECT_EQ((*rows)[2].travel, "n/a");
  EXPECT_DOUBLE_EQ((*rows)[3].actual, 10);
  EXPECT_EQ((*rows)[3].rag, "green");
  EXPECT_EQ((*rows)[3].travel, "improving");
  auto table = run_outcomes(b.m, {});
  ASSERT_TRUE(table.is_ok());
  EXPECT_NE(table->find("20.00 / 18.50 amber n/a"), std::string::npos) << *table;
  EXPECT_NE(table->find("2023/24"), std::string::npos);
  OutcomesRunOptions bad;
  bad.amber_tolerance = 2;
  EXPECT_EQ(run_outcomes(b.m, bad).error().message, "amber tolerance 2 must be between 0 and 1");
}

}  // namespace
}  // namespace careforce::metrics

namespace careforce::metrics {
namespace {

TEST(Outcomes, ScopesToleranceAndTravelInTheSameBasis) {
  testing::ModelBuilder b;
  b.org("RAA", "acute", "North");
  b.org("CARE1", "social_care", "South", DataLevel::aggregate);
  // RAA: 8 nurses (1.0) at 2023-03 and 2024-03; establishment only at 2024-03: nursing 10
  // funded, so the FTE vacancy rate is 2 / 10 = 20 at 2024-03 and not available a year
  // earlier. CARE1 (posts basis): 5 / (45 + 5) = 10 at 2023-03, 10 / (40 + 10) = 20 at
  // 2024-03.
  for (const Month m : {ym(2023, 3), ym(2024, 3)})
    for (int i = 0; i < 8; ++i) b.sip(m, "RAA", "n" + std::to_string(i));
  b.establishment(ym(2024, 3), "RAA", "nursing", "", "", 10);
  b.aggregate(ym(2023, 3), "CARE1", "care_worker", 45, 40).vacant_posts = 5;
  b.aggregate(ym(2024, 3), "CARE1", "care_worker", 40, 36).vacant_posts = 10;
  auto target = [&](const char* indicator, const char* scope, double value) {
    b.m.targets.push_back(
        {indicator, scope, FinancialYear{2023}, value, Direction::lower_is_better, {}});
  };
  target("vacancy_rate", "system", 18);              // fte 20 > 18 + 1.8: red
  target("vacancy_rate", "sector:social_care", 19);  // posts 20 <= 19 + 1.9: amber
  target("vacancy_rate", "place:North", 20);         // fte 20: green
  target("happiness", "system", 1);
  target("vacancy_rate", "region:x", 1);
  auto rows = compute_outcomes(b.done(), {});
  ASSERT_TRUE(rows.is_ok());
  ASSERT_EQ(rows->size(), 5u);
  auto row = [&](const std::string& indicator, const std::string& scope) -> const OutcomeRow& {
    for (const auto& r : *rows)
      if (r.indicator == indicator && r.scope == scope) return r;
    ADD_FAILURE() << indicator << " " << scope;
    return rows->front();
  };
  // FY 2023/24 is measured at 2024-03.
  const auto& sys = row("vacancy_rate", "system");
  EXPECT_DOUBLE_EQ(sys.actual, 20);
  EXPECT_EQ(sys.rag, "red");
  // A year earlier the system had only the posts basis (CARE1, 10): not comparable.
  EXPECT_TRUE(std::isnan(sys.previous));
  EXPECT_EQ(sys.travel, "n/a");
  const auto& care = row("vacancy_rate", "sector:social_care");
  EXPECT_DOUBLE_EQ(care.actual, 20);
  EXPECT_EQ(care.rag, "amber");
  EXPECT_DOUBLE_EQ(care.previous, 10);
  EXPECT_EQ(care.travel, "worsening");
  EXPECT_EQ(row("vacancy_rate", "place:North").rag, "green");
  EXPECT_EQ(row("happiness", "system").note, "unknown indicator");
  EXPECT_EQ(row("happiness", "system").rag, "n/a");
  EXPECT_EQ(row("vacancy_rate", "region:x").note, "unknown scope");
  // A 5% tolerance: 20 > 19 + 0.95, red.
  auto tight = compute_outcomes(b.m, {.amber_tolerance = 0.05});
  ASSERT_TRUE(tight.is_ok());
  for (const auto& r : *tight)
    if (r.scope == "sector:social_care") {
      EXPECT_EQ(r.rag, "red");
    }
}

}  // namespace
}  // namespace careforce::metrics
