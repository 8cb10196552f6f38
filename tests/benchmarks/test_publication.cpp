#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "benchmarks/benchmark_set.hpp"
#include "benchmarks/publication.hpp"

namespace careforce::benchmarks {
namespace {

TEST(Publication, EachLayoutIsDeclaredConsistently) {
  std::set<std::string> publications, metrics;
  for (const auto& layout : publication_layouts()) {
    EXPECT_TRUE(publications.insert(layout.publication).second) << layout.publication;
    std::set<std::string> names;
    std::set<Field> fields;
    for (const auto& c : layout.columns) {
      EXPECT_TRUE(names.insert(c.name).second) << c.name;
      EXPECT_TRUE(fields.insert(c.field).second) << c.name;
    }
    for (Field needed : {Field::org_code, Field::region_code, Field::ics_code, Field::org_type})
      EXPECT_GE(layout.column_index(needed), 0) << layout.publication << " " << field_name(needed);
    const bool has_period = layout.column_index(Field::period_end_date) >= 0 ||
                            layout.column_index(Field::period_range) >= 0;
    EXPECT_TRUE(has_period) << layout.publication;
    EXPECT_EQ(layout.is_long(), layout.column_index(Field::component) >= 0);
    for (const auto& m : layout.metrics) {
      EXPECT_TRUE(metrics.insert(m.name).second) << "metric names are unique: " << m.name;
      if (m.formula == Formula::published_ratio) {
        EXPECT_GE(layout.column_index(Field::numerator), 0);
        EXPECT_GE(layout.column_index(Field::denominator), 0);
      }
    }
  }
}

TEST(Publication, RecognisesExactlyTheDeclaredHeader) {
  const Layout* sickness = find_layout("nhs_sickness_absence");
  ASSERT_NE(sickness, nullptr);
  std::vector<std::string> header;
  for (const auto& c : sickness->columns) header.push_back(c.name);
  EXPECT_EQ(recognise_layout(header), sickness);
  std::swap(header[0], header[5]);
  EXPECT_EQ(recognise_layout(header), sickness);  // order does not matter
  header.push_back("EXTRA");
  EXPECT_EQ(recognise_layout(header), nullptr);
  header.pop_back();
  header[0] = "date";  // names are case-sensitive, as published
  EXPECT_EQ(recognise_layout(header), nullptr);
  header[0] = header[1];  // a repeated column is not the layout
  EXPECT_EQ(recognise_layout(header), nullptr);
}

TEST(Publication, DocsShowTheDeclaredLayouts) {
  std::ifstream in(std::string(CAREFORCE_SOURCE_DIR) + "/docs/benchmarks.md");
  ASSERT_TRUE(in) << "docs/benchmarks.md";
  std::stringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  const std::string begin = "<!-- layouts:begin -->\n", end = "<!-- layouts:end -->";
  const size_t from = doc.find(begin), to = doc.find(end);
  ASSERT_NE(from, std::string::npos);
  ASSERT_NE(to, std::string::npos);
  EXPECT_EQ(doc.substr(from + begin.size(), to - from - begin.size()), layouts_markdown())
      << "regenerate the section from layouts_markdown()";
}

}  // namespace
}  // namespace careforce::benchmarks

namespace careforce::benchmarks {
namespace {

TEST(Levels, RoundTripByName) {
  for (Level level : {Level::england, Level::region, Level::ics, Level::org_type, Level::cluster,
                      Level::organisation, Level::staff_group})
    EXPECT_EQ(parse_level(level_name(level)), level);
  EXPECT_FALSE(parse_level("place").has_value());
}

TEST(Levels, UnknownMetricOrPlacesAreErrors) {
  BenchmarkSet set;
  AggregateQuery query;
  query.metric = "sickness";
  auto unknown = aggregate(set, query);
  ASSERT_FALSE(unknown.is_ok());
  EXPECT_EQ(unknown.error().message, "unknown benchmark metric 'sickness'");
  query.metric = "sickness_absence_rate";
  query.places = 10;
  EXPECT_FALSE(aggregate(set, query).is_ok());
  query.places = -1;
  auto empty = aggregate(set, query);
  ASSERT_TRUE(empty.is_ok());
  EXPECT_TRUE(empty->empty());
}

}  // namespace
}  // namespace careforce::benchmarks
