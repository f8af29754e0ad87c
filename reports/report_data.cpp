#include "reports/report_data.h"

#include <chrono>

namespace slowscope {

std::string_view to_string(ComparisonMode mode) {
  switch (mode) {
    case ComparisonMode::kPrevious:
      return "previous";
    case ComparisonMode::kSameHours:
      return "same-hours";
    case ComparisonMode::kNone:
      return "none";
  }
  return "none";
}

double added_time_per_hour(const ReportShape& shape, const ReportData& report) {
  const auto length = report.period.until - report.period.from;
  if (length <= std::chrono::seconds(0)) return 0;
  const double period_hours = std::chrono::duration<double>(length).count() / 3600.0;
  return (shape.now.total_time - shape.before.total_time) / period_hours;
}

}  // namespace slowscope
