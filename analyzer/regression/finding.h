// Finding: one regression of one query shape on one target, with the evidence an engineer
// needs to act on it. Its key (target, shape, kind) is its stable identity: the same
// regression found again in a later cycle is the same finding, so that alerts and reports
// can follow its lifecycle. Plain value types and pure functions; thread-compatible.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace slowscope {

enum class FindingKind {
  kLatency,      // each call takes longer
  kCallSurge,    // many more calls per unit of work (the N+1 pattern)
  kRowsPerCall,  // more rows examined or blocks read per call (a plan change)
  kNewShape,     // a shape that was not there takes a notable share of database time
  kVanished,     // a shape that ran steadily stopped (a broken feature?)
  kTrend,        // slowly getting slower, day after day
};

// "latency", "call_surge", "rows_per_call", "new_shape", "vanished", "trend".
std::string_view to_string(FindingKind kind);

// The kind whose to_string() is `text`; nullopt for a text no kind has.
std::optional<FindingKind> finding_kind_from_string(std::string_view text);

enum class Severity { kWarning, kCritical };

// "warning" or "critical".
std::string_view to_string(Severity severity);

// The severity whose to_string() is `text`; nullopt for any other text.
std::optional<Severity> severity_from_string(std::string_view text);

struct FindingKey {
  std::string target;
  std::string shape_hash;
  FindingKind kind = FindingKind::kLatency;

  // "target/shape_hash/kind": stable across runs and versions.
  std::string id() const;

  auto operator<=>(const FindingKey&) const = default;
};

struct Finding {
  FindingKey key;
  std::string fingerprint;  // the shape's normalized text: no literals
  Severity severity = Severity::kWarning;
  // Per-call means (seconds) and calls in the baseline and the post window.
  double before_mean = 0;
  double after_mean = 0;
  int64_t before_calls = 0;
  int64_t after_calls = 0;
  double ratio = 0;    // after / before of the measure the kind is about
  double p_value = 1;  // one-sided, of the test the kind uses
  double q_value = 1;  // after Benjamini–Hochberg across the shapes tested together
  // Extra database time per hour the change costs at the post window's call rate: the key
  // findings are ranked by.
  double added_seconds_per_hour = 0;
  // Trends: how much slower per day, as a share of the first day's latency (0.05: +5%/day).
  std::optional<double> daily_rise;
  // The release it follows: the one `check --release` compared around, or for continuous
  // detection the latest release of its target before the pass that found it. Empty: none.
  std::string release;
  // For kinds about something else than time per call, that measure before and after:
  // `measure` names it ("calls per call of other shapes", "rows examined per call", ...);
  // empty for latency, whose measure is the mean above.
  std::string measure;
  double before_value = 0;
  double after_value = 0;
  // Per-call latency quantiles (seconds) where quantile sketches cover the windows.
  std::optional<double> before_p50;
  std::optional<double> after_p50;
  std::optional<double> before_p95;
  std::optional<double> after_p95;
};

// Sorts costliest first (added database time per hour), ties by key, so that reports list
// findings in a stable order.
void rank_findings(std::vector<Finding>& findings);

// The evidence of `f` as JSON: the numbers above (optional ones only when known) and
// "release" (null for none).
nlohmann::ordered_json evidence_json(const Finding& f);

// The inverse of evidence_json: sets the evidence fields of `f` from `evidence`, so that a
// stored finding is shown as a fresh one is. Fields `evidence` lacks, or holds with another
// type, keep their values; members evidence_json does not write are ignored.
void read_evidence_json(const nlohmann::ordered_json& evidence, Finding& f);

}  // namespace slowscope
