// The Prometheus text renderer: families as HELP, TYPE and their samples, label values and
// help escaped, values as Go reads them; what breaks the format refused; and what it wrote
// read back. Checked against the strict reader of tests/support/prometheus_text_check.h.
#include "reports/metrics/prometheus_text.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "tests/support/prometheus_text_check.h"

namespace slowscope {
namespace {

TEST(PrometheusText, RendersFamiliesAsTheFormatSays) {
  const std::vector<MetricFamily> families = {
      {"slowscope_cycles_total",
       "Cycles that ran.",
       MetricType::kCounter,
       {{{{"target", "db1"}}, 3}, {{{"target", "db2"}}, 0}}},
      {"slowscope_empty", "No samples: left out.", MetricType::kGauge, {}},
      {"slowscope_last_success_timestamp_seconds",
       "When, in seconds.",
       MetricType::kGauge,
       {{{{"command", "collect"}, {"target", "db1"}}, 1700000000}}},
      {"slowscope_cycle_duration_seconds", "How long.", MetricType::kGauge, {{{}, 0.125}}},
  };
  const std::string text = render_prometheus_text(families);
  EXPECT_EQ(text,
            "# HELP slowscope_cycles_total Cycles that ran.\n"
            "# TYPE slowscope_cycles_total counter\n"
            "slowscope_cycles_total{target=\"db1\"} 3\n"
            "slowscope_cycles_total{target=\"db2\"} 0\n"
            "# HELP slowscope_last_success_timestamp_seconds When, in seconds.\n"
            "# TYPE slowscope_last_success_timestamp_seconds gauge\n"
            "slowscope_last_success_timestamp_seconds{command=\"collect\",target=\"db1\"} "
            "1700000000\n"
            "# HELP slowscope_cycle_duration_seconds How long.\n"
            "# TYPE slowscope_cycle_duration_seconds gauge\n"
            "slowscope_cycle_duration_seconds 0.125\n");
  EXPECT_TRUE(testing::is_prom_text(text));
  EXPECT_EQ(render_prometheus_text({}), "");
}

TEST(PrometheusText, EscapesLabelValuesAndHelpAndWritesEveryValue) {
  const std::string text = render_prometheus_text({{"m",
                                                    "a \\ back\nslash",
                                                    MetricType::kGauge,
                                                    {{{{"l", "quote \" back \\ line\nend"}}, 1},
                                                     {{{"l", "nan"}}, std::nan("")},
                                                     {{{"l", "inf"}}, INFINITY},
                                                     {{{"l", "-inf"}}, -INFINITY},
                                                     {{{"l", "big"}}, 1e300},
                                                     {{{"l", "small"}}, -2.5e-7},
                                                     {{{"l", "past 2^53"}}, 9007199254740993.0}}}});
  EXPECT_NE(text.find("# HELP m a \\\\ back\\nslash\n"), std::string::npos) << text;
  EXPECT_NE(text.find("m{l=\"quote \\\" back \\\\ line\\nend\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("m{l=\"nan\"} NaN\n"), std::string::npos) << text;
  EXPECT_NE(text.find("m{l=\"inf\"} +Inf\n"), std::string::npos) << text;
  EXPECT_NE(text.find("m{l=\"-inf\"} -Inf\n"), std::string::npos) << text;
  EXPECT_TRUE(testing::is_prom_text(text));
  const testing::PromText read = testing::read_prom_text(text);
  EXPECT_EQ(read.value("m", {{"l", "quote \" back \\ line\nend"}}), 1);
  EXPECT_EQ(read.value("m", {{"l", "big"}}), 1e300);
  EXPECT_EQ(read.value("m", {{"l", "small"}}), -2.5e-7);
  EXPECT_EQ(read.value("m", {{"l", "past 2^53"}}), 9007199254740993.0);
}

TEST(PrometheusText, RefusesWhatBreaksTheFormat) {
  const auto render = [](MetricFamily family) { return render_prometheus_text({family}); };
  EXPECT_THROW(render({"1bad", "", MetricType::kGauge, {{{}, 1}}}), std::invalid_argument);
  EXPECT_THROW(render({"bad-name", "", MetricType::kGauge, {{{}, 1}}}), std::invalid_argument);
  EXPECT_THROW(render({"ok", "", MetricType::kGauge, {{{{"bad:label", "v"}}, 1}}}),
               std::invalid_argument);
  EXPECT_THROW(render({"ok", "", MetricType::kGauge, {{{{"__reserved", "v"}}, 1}}}),
               std::invalid_argument);
  EXPECT_THROW(render({"ok", "", MetricType::kGauge, {{{{"a", "1"}, {"a", "2"}}, 1}}}),
               std::invalid_argument);
  EXPECT_THROW(render({"ok", "", MetricType::kGauge, {{{{"a", "1"}}, 1}, {{{"a", "1"}}, 2}}}),
               std::invalid_argument);
  // The same labels in another order are the same series.
  EXPECT_THROW(render({"ok",
                       "",
                       MetricType::kGauge,
                       {{{{"a", "1"}, {"b", "2"}}, 1}, {{{"b", "2"}, {"a", "1"}}, 2}}}),
               std::invalid_argument);
  EXPECT_THROW(render({"cycles", "", MetricType::kCounter, {{{}, 1}}}), std::invalid_argument);
  EXPECT_THROW(render_prometheus_text({{"twice", "", MetricType::kGauge, {{{}, 1}}},
                                       {"twice", "", MetricType::kGauge, {{{}, 2}}}}),
               std::invalid_argument);
}

TEST(PrometheusText, ReadsBackWhatItWroteAndSkipsWhatItCannotRead) {
  const std::string text = render_prometheus_text(
      {{"slowscope_last_success_timestamp_seconds",
        "h",
        MetricType::kGauge,
        {{{{"command", "check"}}, 1700000123}, {{{"command", "x"}, {"target", "a}\"b"}}, 4.5}}}});
  const std::vector<ReadSample> read = read_prometheus_samples(
      text + "garbage line\nm{unclosed=\"x} 1\nm{a=\"1\"} notanumber\nm 2 1700000000000\n");
  ASSERT_EQ(read.size(), 3u);
  EXPECT_EQ(read[0].name, "slowscope_last_success_timestamp_seconds");
  EXPECT_EQ(read[0].labels, (std::map<std::string, std::string>{{"command", "check"}}));
  EXPECT_EQ(read[0].value, 1700000123);
  EXPECT_EQ(read[1].labels.at("target"), "a}\"b");
  EXPECT_EQ(read[1].value, 4.5);
  EXPECT_EQ(read[2].name, "m");  // a sample with a timestamp
  EXPECT_EQ(read[2].value, 2);
}

// The reader of the tests is strict: each of these is a file Prometheus refuses.
TEST(PrometheusText, TheTestReaderRefusesBrokenFiles) {
  const char* broken[] = {
      "# TYPE m gauge\nm 1",                            // no final newline
      "# HELP m h\n# TYPE m gauge\nm{a=\"x\\t\"} 1\n",  // bad escape
      "# HELP m h\n# TYPE m gauge\nm 1\n# HELP n h\n# TYPE n gauge\nn 1\nm 2\n",  // split
      "# HELP m h\n# TYPE m gauge\nm{a=\"1\"} 1\nm{a=\"1\"} 2\n",                 // twice
      "# HELP m h\nm 1\n# TYPE m gauge\n",                                        // late TYPE
      "# HELP m h\n# TYPE m counter\nm 1\n",                                      // _total
      "# HELP m_total h\n# TYPE m_total counter\nm_total -1\n",                   // below 0
      "# HELP m h\n# TYPE m gauge\nm one\n",                                      // value
  };
  for (const char* text : broken) EXPECT_FALSE(testing::is_prom_text(text)) << text;
}

}  // namespace
}  // namespace slowscope
